package io.proteus.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.proteus.mqtt.internal.AgentWire;
import io.proteus.mqtt.internal.Connection;
import io.proteus.mqtt.internal.CoreWire;
import io.proteus.mqtt.internal.Counters;
import io.proteus.mqtt.internal.Topics;
import io.proteus.mqtt.internal.WireException;
import io.proteus.spi.transport.AgentLink;
import io.proteus.spi.transport.AgentLinkContext;
import io.proteus.spi.transport.AgentMessage;
import io.proteus.spi.transport.CoreMessage;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's link over MQTT: it publishes to its {@code to-core} topic, subscribes to its {@code
 * to-agent} topic and to the core's retained status, and leaves a last will ({@code gone}) that the
 * broker publishes when the agent vanishes for longer than {@link MqttSettings#willDelay()}. A
 * session with the core is up when the agent is connected and the core's status is {@code online};
 * each new incarnation of the core, and each reconnection, starts a new session (the agent says
 * hello). Every message goes at QoS 1 but a live {@code output} batch, which goes at QoS 0. Give it
 * to the agent runtime.
 */
public final class MqttAgentLink implements AgentLink {
  private static final Logger LOG = LoggerFactory.getLogger(MqttAgentLink.class);

  private final MqttSettings settings;
  private final String agentId;
  private final Topics topics;
  private final String link = UUID.randomUUID().toString();
  private final Counters counters;
  private final Object lock = new Object();
  private volatile Optional<Connection> connection = Optional.empty();
  private volatile Optional<AgentLinkContext> context = Optional.empty();
  private long connectionEpoch;
  private long helloEpoch = -1;
  private String helloIncarnation = "";
  private boolean sessionUp;

  private MqttAgentLink(MqttSettings settings, String agentId) {
    this.settings = Objects.requireNonNull(settings, "settings");
    if (!MqttSettings.isValidName(agentId)) {
      throw new IllegalArgumentException(
          "an agent id on MQTT is 1 to 64 letters, digits, '.', '_' or '-': " + agentId);
    }
    this.agentId = agentId;
    this.topics = new Topics(settings.namespace());
    this.counters = new Counters(LOG, "agent " + agentId);
  }

  /** The link of the agent {@code agentId} through the broker and namespace of {@code settings}. */
  public static MqttAgentLink create(MqttSettings settings, String agentId) {
    return new MqttAgentLink(settings, agentId);
  }

  /**
   * Connects, waiting up to the connect timeout; the session with the core starts once the core's
   * status says it is online.
   *
   * @throws MqttException when the broker refuses the agent or cannot be reached
   */
  @Override
  public void connect(AgentLinkContext ctx) {
    if (!ctx.agentId().equals(agentId)) {
      throw new IllegalArgumentException(
          "this link is agent " + agentId + "'s, not " + ctx.agentId() + "'s");
    }
    context = Optional.of(ctx);
    Connection c =
        new Connection(
            settings,
            "proteus-agent-" + settings.namespace() + "-" + agentId,
            true,
            Optional.of(
                new Connection.Will(
                    topics.toCore(agentId),
                    AgentWire.gone(link),
                    false,
                    settings.willDelay().getSeconds())),
            new Connection.Events() {
              @Override
              public void up() {
                onUp();
              }

              @Override
              public void down(String reason) {
                onDown(reason);
              }

              @Override
              public void message(String topic, byte[] payload) {
                onMessage(topic, payload);
              }
            },
            counters,
            LOG,
            "agent " + agentId);
    connection = Optional.of(c);
    c.open();
  }

  @Override
  public void send(AgentMessage message) {
    connection.ifPresent(c ->
        c.publish(
            topics.toCore(agentId),
            AgentWire.write(link, message),
            message instanceof AgentMessage.Output ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE,
            false));
  }

  /** Disconnects normally: the broker publishes no will (send a bye first to leave the core). */
  @Override
  public void close() {
    connection.ifPresent(c -> c.close(Optional.empty()));
  }

  /** What this link has carried and dropped so far. */
  public MqttStats stats() {
    return counters.stats();
  }

  private void onUp() {
    Connection c = connection.orElseThrow();
    synchronized (lock) {
      connectionEpoch++;
    }
    c.subscribe(topics.toAgent(agentId))
        .thenCompose(ack -> c.subscribe(topics.coreStatus()))
        .whenComplete((ack, error) -> {
          if (error != null) {
            LOG.error("agent {} could not subscribe: {}", agentId, error.toString());
          }
        });
  }

  private void onDown(String reason) {
    boolean wasUp;
    synchronized (lock) {
      wasUp = sessionUp;
      sessionUp = false;
    }
    if (wasUp) {
      context.orElseThrow().disconnected(reason);
    }
  }

  private void onMessage(String topic, byte[] payload) {
    AgentLinkContext ctx = context.orElseThrow();
    if (topic.equals(topics.coreStatus())) {
      onStatus(topic, payload, ctx);
      return;
    }
    if (!topic.equals(topics.toAgent(agentId))) {
      counters.dropped("topic", topic, "not this agent's topic");
      return;
    }
    CoreMessage m;
    try {
      m = CoreWire.read(payload, settings.maxMessageBytes());
    } catch (WireException e) {
      counters.dropped(e, topic);
      return;
    }
    counters.received();
    ctx.received(m);
  }

  private void onStatus(String topic, byte[] payload, AgentLinkContext ctx) {
    CoreWire.Status status;
    try {
      status = CoreWire.readStatus(payload, settings.maxMessageBytes());
    } catch (WireException e) {
      counters.dropped(e, topic);
      return;
    }
    counters.received();
    boolean hello = false;
    boolean down = false;
    synchronized (lock) {
      if (status.online()) {
        if (helloEpoch != connectionEpoch || !helloIncarnation.equals(status.incarnation())) {
          helloEpoch = connectionEpoch;
          helloIncarnation = status.incarnation();
          sessionUp = true;
          hello = true;
        }
      } else if (sessionUp) {
        sessionUp = false;
        helloIncarnation = "";
        down = true;
      }
    }
    if (hello) {
      ctx.connected();
    } else if (down) {
      ctx.disconnected("the core is offline");
    }
  }
}
