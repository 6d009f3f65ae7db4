package io.proteus.testkit.junit5.contract;

import io.proteus.spi.transport.AgentLink;
import io.proteus.spi.transport.CoreTransport;

/**
 * One transport under the {@link TransportContract}: its core end, a new agent link per agent id,
 * and the ways the contract breaks links. Made fresh for each test and closed after it.
 */
public interface TransportFixture extends AutoCloseable {

  /** The core's end, not started; the contract starts it with the core. */
  CoreTransport coreTransport();

  /** A new link for the agent {@code agentId}, not connected. */
  AgentLink agentLink(String agentId);

  /** The agent's link goes down for a while, and the core is not told (a short blip). */
  void cut(String agentId);

  /** The agent's link goes down and the core is told the agent is lost (a last will). */
  void crash(String agentId);

  /** The agent's link, cut or crashed, comes back: the agent then says hello again. */
  void restore(String agentId);

  /** The core's end goes down: no message passes either way (a core or broker outage). */
  void coreOutage();

  /** The core's end is back: every agent whose link is up says hello again. */
  void coreRestored();

  /** Frees what the transport holds. */
  @Override
  void close() throws Exception;
}
