package io.proteus.mqtt.internal;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.proteus.mqtt.MqttException;
import io.proteus.mqtt.MqttSettings;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;

/**
 * One party's connection to the broker (MQTT 5, QoS 1, a session kept for {@link
 * MqttSettings#sessionExpiry()}): the first connection is awaited and a refusal is reported at
 * once; later losses are reconnected with a backoff from 100 ms to {@link
 * MqttSettings#reconnectMaxDelay()}, except when the broker refuses the credentials (no retry
 * storm). Sends never block: a message beyond {@link MqttSettings#maxPendingPublishes()} waiting
 * for the broker is dropped and counted.
 */
public final class Connection {
  private static final Set<Mqtt5ConnAckReasonCode> REFUSALS =
      EnumSet.of(
          Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
          Mqtt5ConnAckReasonCode.NOT_AUTHORIZED,
          Mqtt5ConnAckReasonCode.BANNED,
          Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
          Mqtt5ConnAckReasonCode.BAD_AUTHENTICATION_METHOD,
          Mqtt5ConnAckReasonCode.UNSUPPORTED_PROTOCOL_VERSION);

  /** What a connection reports; called on the client's threads, each must return quickly. */
  public interface Events {
    /** Connected, for the first time or again. */
    void up();

    /** The connection is down; a reconnection follows unless the broker refused the party. */
    void down(String reason);

    /** A message arrived on {@code topic}. */
    void message(String topic, byte[] payload);
  }

  /**
   * A last will.
   *
   * @param topic where the broker publishes it
   * @param payload what it publishes
   * @param retain whether it is retained
   * @param delaySeconds how long the broker waits first
   */
  public record Will(String topic, byte[] payload, boolean retain, long delaySeconds) {}

  private final MqttSettings settings;
  private final String who;
  private final Logger log;
  private final Counters counters;
  private final Events events;
  private final Mqtt5AsyncClient client;
  private final boolean cleanFirst;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean connected = new AtomicBoolean();
  private final AtomicInteger pending = new AtomicInteger();
  private final CompletableFuture<Void> first = new CompletableFuture<>();
  private final ExecutorService netty;

  /**
   * A connection, not yet open.
   *
   * @param clientId the MQTT client id, which names the broker's session
   * @param cleanFirst whether the first connection starts a new session (later ones resume it)
   */
  public Connection(
      MqttSettings settings,
      String clientId,
      boolean cleanFirst,
      Optional<Will> will,
      Events events,
      Counters counters,
      Logger log,
      String who) {
    this.settings = settings;
    this.who = who;
    this.log = log;
    this.counters = counters;
    this.events = events;
    this.cleanFirst = cleanFirst;
    this.netty =
        Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().daemon().name("proteus-mqtt-" + clientId + "-", 0).factory());
    MqttClientTransportConfigBuilder transport =
        MqttClientTransportConfig.builder()
            .serverHost(settings.host())
            .serverPort(settings.port())
            .socketConnectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .mqttConnectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    if (settings.trust().isPresent()) {
      transport =
          transport.sslConfig(
              MqttClientSslConfig.builder()
                  .trustManagerFactory(settings.trust().get())
                  .handshakeTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                  .build());
    }
    Mqtt5ClientBuilder b =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(clientId)
            .transportConfig(transport.build())
            .executorConfig()
            .nettyExecutor(netty)
            .nettyThreads(1)
            .applyExecutorConfig()
            .addConnectedListener(ctx -> onConnected())
            .addDisconnectedListener(this::onDisconnected);
    if (settings.username().isPresent()) {
      var auth = b.simpleAuth().username(settings.username().get());
      if (settings.password().isPresent()) {
        auth = auth.password(settings.password().get().getBytes(StandardCharsets.UTF_8));
      }
      b = auth.applySimpleAuth();
    }
    if (will.isPresent()) {
      Will w = will.get();
      b =
          b.willPublish()
              .topic(w.topic())
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload(w.payload())
              .retain(w.retain())
              .delayInterval(w.delaySeconds())
              .applyWillPublish();
    }
    this.client = b.buildAsync();
    client.publishes(MqttGlobalPublishFilter.ALL, this::onPublish);
  }

  /**
   * Connects, waiting up to the connect timeout for the broker's answer.
   *
   * @throws MqttException when the broker refuses the party, the TLS handshake fails or no answer
   *     comes in time
   */
  public void open() {
    var connect =
        client
            .connectWith()
            .cleanStart(cleanFirst)
            .keepAlive((int) settings.keepAlive().getSeconds())
            .sessionExpiryInterval(settings.sessionExpiry().getSeconds())
            .restrictions()
            .maximumPacketSize(settings.maxMessageBytes() + 65_536)
            .applyRestrictions();
    connect
        .send()
        .whenComplete((ack, error) -> {
          if (error == null) {
            first.complete(null);
          } else {
            first.completeExceptionally(error);
          }
        });
    try {
      first.get(settings.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      close(Optional.empty());
      throw failure(e.getCause());
    } catch (TimeoutException e) {
      close(Optional.empty());
      throw new MqttException(
          MqttException.Reason.UNREACHABLE,
          who + " got no answer from the broker " + address() + " in " + settings.connectTimeout(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close(Optional.empty());
      throw new MqttException(MqttException.Reason.UNREACHABLE, who + " was interrupted", e);
    }
  }

  /** Subscribes to {@code filter} at QoS 1; messages arrive through {@link Events#message}. */
  public CompletableFuture<?> subscribe(String filter) {
    return client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
  }

  /** Whether the connection is up now. */
  public boolean isConnected() {
    return connected.get();
  }

  /**
   * Hands a message to the broker without blocking; {@code false} when it was dropped (too large,
   * or too many waiting).
   */
  public boolean publish(String topic, byte[] payload, MqttQos qos, boolean retain) {
    if (payload.length > settings.maxMessageBytes()) {
      counters.dropped(
          "oversized",
          topic,
          "an outgoing message of " + payload.length + " bytes is over the limit");
      return false;
    }
    if (pending.incrementAndGet() > settings.maxPendingPublishes()) {
      pending.decrementAndGet();
      counters.dropped("backlog", topic, settings.maxPendingPublishes() + " messages are waiting");
      return false;
    }
    client
        .publishWith()
        .topic(topic)
        .qos(qos)
        .retain(retain)
        .payload(payload)
        .send()
        .whenComplete((result, error) -> {
          pending.decrementAndGet();
          if (error != null) {
            counters.dropped("disconnected", topic, String.valueOf(error.getMessage()));
          } else if (result.getError().isPresent()) {
            counters.dropped(
                "disconnected", topic, String.valueOf(result.getError().get().getMessage()));
          } else {
            counters.sent();
          }
        });
    return true;
  }

  /**
   * Lets the messages already handed to the broker go out (a goodbye sent just before closing
   * included), publishes {@code last} (such as an offline status), then disconnects normally, so
   * the broker sends no will; each step waits at most the connect timeout.
   */
  public void close(Optional<Mqtt5Publish> last) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    long limit = settings.connectTimeout().toMillis();
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limit);
    while (connected.get() && pending.get() > 0 && System.nanoTime() < until) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    try {
      if (last.isPresent() && connected.get()) {
        client.publish(last.get()).get(limit, TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      log.debug("{} could not publish its last message: {}", who, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      client.disconnect().get(limit, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.debug("{} disconnected uncleanly: {}", who, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      netty.shutdownNow();
    }
  }

  private void onConnected() {
    connected.set(true);
    counters.connected();
    log.info("{} connected to the broker {}", who, address());
    events.up();
  }

  private void onDisconnected(MqttClientDisconnectedContext ctx) {
    boolean wasUp = connected.getAndSet(false);
    if (closing.get()) {
      ctx.getReconnector().reconnect(false);
      return;
    }
    Throwable cause = ctx.getCause();
    if (!first.isDone()) {
      ctx.getReconnector().reconnect(false);
      first.completeExceptionally(cause);
      return;
    }
    if (refused(cause)) {
      ctx.getReconnector().reconnect(false);
      log.error(
          "{} was refused by the broker {} and stops reconnecting: {}",
          who,
          address(),
          cause.getMessage());
      events.down("refused by the broker: " + cause.getMessage());
      return;
    }
    int attempts = ctx.getReconnector().getAttempts();
    long max = settings.reconnectMaxDelay().toMillis();
    long delay = Math.min(max, 100L << Math.min(attempts, 16));
    delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    ctx.getReconnector().reconnect(true).delay(delay, TimeUnit.MILLISECONDS);
    if (ctx.getReconnector()
        instanceof com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientReconnector r) {
      r.connectWith()
          .cleanStart(false)
          .keepAlive((int) settings.keepAlive().getSeconds())
          .sessionExpiryInterval(settings.sessionExpiry().getSeconds())
          .restrictions()
          .maximumPacketSize(settings.maxMessageBytes() + 65_536)
          .applyRestrictions()
          .applyConnect();
    }
    if (wasUp) {
      log.warn("{} lost the broker {}: {}; reconnecting", who, address(), cause.getMessage());
      events.down("lost the broker: " + cause.getMessage());
    } else {
      log.debug("{} could not reconnect to {}: {}", who, address(), cause.getMessage());
    }
  }

  private void onPublish(Mqtt5Publish publish) {
    events.message(publish.getTopic().toString(), publish.getPayloadAsBytes());
  }

  private MqttException failure(Throwable cause) {
    if (refused(cause)) {
      return new MqttException(
          MqttException.Reason.REFUSED,
          who
              + " was refused by the broker "
              + address()
              + ": "
              + ((Mqtt5ConnAckException) cause).getMqttMessage().getReasonCode()
              + " (check the user name and password)",
          cause);
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return new MqttException(
            MqttException.Reason.TLS,
            who + " could not make a TLS connection to " + address() + ": " + t.getMessage(),
            cause);
      }
    }
    return new MqttException(
        MqttException.Reason.UNREACHABLE,
        who + " could not connect to the broker " + address() + ": " + cause.getMessage(),
        cause);
  }

  private static boolean refused(Throwable cause) {
    return cause instanceof Mqtt5ConnAckException e
        && REFUSALS.contains(e.getMqttMessage().getReasonCode());
  }

  private String address() {
    return (settings.trust().isPresent() ? "mqtts://" : "mqtt://")
        + settings.host()
        + ":"
        + settings.port();
  }
}
