package io.proteus.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw peer of the MQTT rows: two HiveMQ clients (the library proteus-mqtt uses) on the same
 * broker, MQTT 5 at QoS 1, clean sessions. The requester publishes a request of {@link #BYTES}
 * bytes on one topic; the replier, subscribed to it, publishes a reply of the same size on another
 * topic, to which the requester is subscribed. A round trip is request publish to reply arrival:
 * four QoS 1 publishes through the broker (each with its PUBACK), the same hops as a dispatch out
 * and an answer back.
 */
final class RawPeer implements AutoCloseable {
  /** Each message's size: about that of a dispatch of a no-op test on the wire. */
  static final int BYTES = 512;

  private static final long LIMIT_SECONDS = 60;

  private final Mqtt5AsyncClient requester;
  private final Mqtt5AsyncClient replier;
  private final String requests;
  private final String replies;
  private final Map<Long, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  RawPeer(int port, String namespace) throws InterruptedException {
    requests = "bench/" + namespace + "/requests";
    replies = "bench/" + namespace + "/replies";
    requester = client(port, namespace + "-requester");
    replier = client(port, namespace + "-replier");
    replier.publishes(
        MqttGlobalPublishFilter.ALL,
        p ->
            replier
                .publishWith()
                .topic(replies)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(p.getPayloadAsBytes())
                .send());
    requester.publishes(MqttGlobalPublishFilter.ALL, this::onReply);
    join(replier.subscribeWith().topicFilter(requests).qos(MqttQos.AT_LEAST_ONCE).send());
    join(requester.subscribeWith().topicFilter(replies).qos(MqttQos.AT_LEAST_ONCE).send());
  }

  private static Mqtt5AsyncClient client(int port, String id) throws InterruptedException {
    Mqtt5AsyncClient c =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildAsync();
    join(c.connectWith().cleanStart(true).keepAlive(10).send());
    return c;
  }

  private void onReply(Mqtt5Publish p) {
    long id = ByteBuffer.wrap(p.getPayloadAsBytes()).getLong();
    CompletableFuture<Long> f = waiting.remove(id);
    if (f != null) {
      f.complete(System.nanoTime());
    }
  }

  /** Sends one request and returns when its reply is here, with the arrival's nanoTime. */
  private CompletableFuture<Long> request() {
    long id = ids.incrementAndGet();
    CompletableFuture<Long> reply = new CompletableFuture<>();
    waiting.put(id, reply);
    byte[] payload = new byte[BYTES];
    ByteBuffer.wrap(payload).putLong(id);
    requester
        .publishWith()
        .topic(requests)
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload)
        .send()
        .whenComplete((r, e) -> {
          if (e != null) {
            reply.completeExceptionally(e);
          }
        });
    return reply;
  }

  /** {@code rounds} round trips one after another, each timed into {@code into}. */
  void sequential(int rounds, Samples into) throws InterruptedException {
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      long end = join(request());
      into.add(end - start);
    }
  }

  /**
   * {@code count} round trips with up to {@code window} in flight at once; returns round trips per
   * second.
   */
  double pipelined(int count, int window) throws InterruptedException {
    Semaphore slots = new Semaphore(window);
    CompletableFuture<?>[] all = new CompletableFuture<?>[count];
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      if (!slots.tryAcquire(LIMIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no reply in " + LIMIT_SECONDS + " s");
      }
      all[i] = request().whenComplete((t, e) -> slots.release());
    }
    join(CompletableFuture.allOf(all));
    return count / ((System.nanoTime() - start) / 1e9);
  }

  private static <T> T join(CompletableFuture<T> f) throws InterruptedException {
    try {
      return f.get(LIMIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the raw MQTT peer failed", e);
    }
  }

  @Override
  public void close() {
    requester.disconnect();
    replier.disconnect();
  }
}
