package io.proteus.spi.transport;

import io.proteus.DoNotImplement;

/**
 * What an agent runtime gives its {@link AgentLink}. Its methods may be called from any thread and
 * return quickly; the link calls them in the order its messages arrive.
 */
@DoNotImplement
public interface AgentLinkContext {

  /** The agent's id, which names it to the core. */
  String agentId();

  /**
   * A session with the core is up (first connection, reconnection, or a core that came back): the
   * agent says hello and sends again the ends the core has not acknowledged.
   */
  void connected();

  /** A message from the core arrived. */
  void received(CoreMessage message);

  /** The session is down; the agent keeps running what it holds and keeps its ends. */
  void disconnected(String reason);
}
