package io.proteus.spi.transport;

import io.proteus.DoNotImplement;
import java.time.Clock;

/**
 * What the core gives its {@link CoreTransport}. Its methods may be called from any thread; they
 * never block and post to the core's loop, in the order they are called.
 */
@DoNotImplement
public interface CoreTransportContext {

  /** A message from the agent {@code agentId} arrived. */
  void received(String agentId, AgentMessage message);

  /**
   * The link to {@code agentId} is gone (its connection closed, or the broker said so): whatever
   * its current session held is retried elsewhere.
   */
  void lost(String agentId, String reason);

  /**
   * As {@link #lost(String, String)}, for the session {@code session} only: ignored when the agent
   * has said hello on a newer session since (a late last will).
   */
  void lost(String agentId, String session, String reason);

  /** The core's clock. */
  Clock clock();
}
