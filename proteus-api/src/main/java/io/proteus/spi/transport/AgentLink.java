package io.proteus.spi.transport;

/**
 * An agent's end of a transport to one core: it carries the agent's {@link AgentMessage}s to the
 * core and hands the core's {@link CoreMessage}s to the agent. It says when a session with the core
 * is up (then the agent says hello) and when it is down. It implements no agreement itself: the
 * agent runtime keeps its ends until acknowledged and says hello on each session. Like the core's
 * end, it keeps the order of the messages each way and may lose or duplicate them.
 */
public interface AgentLink {

  /**
   * Connects, and from then on reports to {@code context}, calling {@link
   * AgentLinkContext#connected()} each time a session with the core is up. Called once.
   */
  void connect(AgentLinkContext context);

  /**
   * Carries {@code message} to the core. May be called from any thread; must not block long. A link
   * that is down may drop it; the agreements recover.
   */
  void send(AgentMessage message);

  /** Disconnects for good. */
  void close();
}
