package io.proteus.spi.transport;

/**
 * The core's end of a transport to remote agents: it carries {@link CoreMessage}s to an agent by
 * id, hands every {@link AgentMessage} it receives to the core, and says when an agent's link is
 * lost (a broker's last will, a closed socket). It implements no agreement itself: the core turns
 * each agent that says hello into a worker, acknowledges ends and aborts stale attempts. It keeps
 * each agent's messages in the order they were sent, both ways; it may lose or duplicate them (as
 * MQTT's QoS 1 does across a reconnection), and the agreements recover.
 */
public interface CoreTransport {

  /** Connects, and from then on reports to {@code context}. Called once, as the core starts. */
  void start(CoreTransportContext context);

  /**
   * Carries {@code message} to the agent {@code agentId}. Called on the core's loop: it must not
   * block. A message to an agent that is not connected may be dropped; the agreements recover.
   */
  void send(String agentId, CoreMessage message);

  /** Disconnects; called once, as the core stops, after its last message. */
  void stop();
}
