package io.proteus.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.proteus.mqtt.internal.AgentWire;
import io.proteus.mqtt.internal.Connection;
import io.proteus.mqtt.internal.CoreWire;
import io.proteus.mqtt.internal.Counters;
import io.proteus.mqtt.internal.Topics;
import io.proteus.mqtt.internal.WireException;
import io.proteus.spi.transport.AgentMessage;
import io.proteus.spi.transport.CoreMessage;
import io.proteus.spi.transport.CoreTransport;
import io.proteus.spi.transport.CoreTransportContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's end of the MQTT transport: it subscribes to every agent's {@code to-core} topic of its
 * namespace, publishes to each agent's {@code to-agent} topic, and keeps its status retained on
 * {@code core/status} ({@code online} with a new incarnation on each connection, {@code offline} as
 * it stops and as its last will). An agent's last will tells the core the agent is lost. Bad
 * messages are counted in {@link #stats()}, logged once per kind and dropped. Give it to {@code
 * ProteusCoreBuilder.transport}.
 */
public final class MqttCoreTransport implements CoreTransport {
  private static final Logger LOG = LoggerFactory.getLogger(MqttCoreTransport.class);
  private static final int MAX_AGENTS = 65_536;

  private final MqttSettings settings;
  private final Topics topics;
  private final Counters counters = new Counters(LOG, "the core");
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private volatile String incarnation = "";
  private volatile Optional<Connection> connection = Optional.empty();
  private volatile Optional<CoreTransportContext> context = Optional.empty();

  /** The latest hello of an agent: its link and session, and the sessions it said hello on. */
  private record Session(String link, String session, List<String> seen) {
    private static final int SEEN = 8;

    Session next(String newLink, String newSession) {
      List<String> more = new ArrayList<>(seen);
      more.add(newSession);
      if (more.size() > SEEN) {
        more.remove(0);
      }
      return new Session(newLink, newSession, List.copyOf(more));
    }
  }

  private MqttCoreTransport(MqttSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.topics = new Topics(settings.namespace());
  }

  /**
   * The core's end for the broker and namespace of {@code settings}; it connects as the core
   * starts.
   */
  public static MqttCoreTransport create(MqttSettings settings) {
    return new MqttCoreTransport(settings);
  }

  /**
   * Connects and subscribes, waiting up to the connect timeout.
   *
   * @throws MqttException when the broker refuses the core or cannot be reached
   */
  @Override
  public void start(CoreTransportContext ctx) {
    context = Optional.of(ctx);
    Connection c =
        new Connection(
            settings,
            "proteus-core-" + settings.namespace(),
            false,
            Optional.of(
                new Connection.Will(
                    topics.coreStatus(), CoreWire.status(new CoreWire.Status(false, "")), true, 0)),
            new Connection.Events() {
              @Override
              public void up() {
                onUp();
              }

              @Override
              public void down(String reason) {}

              @Override
              public void message(String topic, byte[] payload) {
                onMessage(topic, payload);
              }
            },
            counters,
            LOG,
            "the core");
    connection = Optional.of(c);
    c.open();
  }

  @Override
  public void send(String agentId, CoreMessage message) {
    Optional<Connection> c = connection;
    if (c.isEmpty() || !MqttSettings.isValidName(agentId)) {
      return;
    }
    c.get().publish(topics.toAgent(agentId), CoreWire.write(message), MqttQos.AT_LEAST_ONCE, false);
  }

  /** Publishes the core's offline status and disconnects. */
  @Override
  public void stop() {
    connection.ifPresent(c ->
        c.close(
            Optional.of(
                Mqtt5Publish.builder()
                    .topic(topics.coreStatus())
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true)
                    .payload(CoreWire.status(new CoreWire.Status(false, incarnation)))
                    .build())));
  }

  /** What this end has carried and dropped so far. */
  public MqttStats stats() {
    return counters.stats();
  }

  private void onUp() {
    Connection c = connection.orElseThrow();
    c.subscribe(topics.everyAgentToCore())
        .whenComplete((ack, error) -> {
          if (error != null) {
            LOG.error("the core could not subscribe to the agents' topics: {}", error.toString());
            return;
          }
          incarnation = UUID.randomUUID().toString();
          c.publish(
              topics.coreStatus(),
              CoreWire.status(new CoreWire.Status(true, incarnation)),
              MqttQos.AT_LEAST_ONCE,
              true);
        });
  }

  private void onMessage(String topic, byte[] payload) {
    Optional<String> agent = topics.agentOfToCore(topic);
    if (agent.isEmpty()) {
      counters.dropped("topic", topic, "not an agent's to-core topic with a valid agent id");
      return;
    }
    AgentWire.Received r;
    try {
      r = AgentWire.read(payload, settings.maxMessageBytes());
    } catch (WireException e) {
      counters.dropped(e, topic);
      return;
    }
    String id = agent.get();
    CoreTransportContext ctx = context.orElseThrow();
    if (r.message().isEmpty()) {
      Session s = sessions.get(id);
      counters.received();
      if (s != null && s.link().equals(r.link())) {
        ctx.lost(id, s.session(), "its connection to the broker was lost (its last will)");
      }
      return;
    }
    AgentMessage m = r.message().get();
    if (m instanceof AgentMessage.Hello h) {
      if (!h.descriptor().id().equals(id)) {
        counters.dropped(
            "spoofed", topic, "a hello from " + h.descriptor().id() + " on the topic of " + id);
        return;
      }
      if (sessions.size() >= MAX_AGENTS && !sessions.containsKey(id)) {
        counters.dropped("agents", topic, "the core already knows " + MAX_AGENTS + " agents");
        return;
      }
      sessions.compute(
          id,
          (k, old) -> {
            if (old == null) {
              return new Session(r.link(), h.session(), List.of(h.session()));
            }
            return old.seen().contains(h.session()) ? old : old.next(r.link(), h.session());
          });
    }
    counters.received();
    ctx.received(id, m);
  }
}
