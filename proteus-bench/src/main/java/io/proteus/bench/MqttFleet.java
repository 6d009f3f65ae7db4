package io.proteus.bench;

import io.proteus.core.ProteusCore;
import io.proteus.core.agent.Agent;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TaskId;
import io.proteus.model.TaskStatus;
import io.proteus.model.WorkerState;
import io.proteus.mqtt.MqttAgentLink;
import io.proteus.mqtt.MqttCoreTransport;
import io.proteus.mqtt.MqttSettings;
import io.proteus.mqtt.MqttStats;
import io.proteus.spi.ProteusEvent;
import io.proteus.spi.ProteusListener;
import io.proteus.testkit.TcpProxy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A core with the MQTT transport and agents on {@link NoopPlatform}, all in this JVM and on one
 * broker, through the public API only ({@code MqttCoreTransport}, {@code MqttAgentLink}, {@code
 * Agent}). Every agent has the defaults of {@link Agent.Builder} (an outbox on disk, a heartbeat
 * every 10 s) except its pool, its folder and its files resolver, which serves the test's binary
 * from memory (as an agent that has the build cached: no artifact server, no HTTP fetch); the agent
 * still stages it into a fresh workspace for each attempt. A listener on the core's loop thread
 * takes the {@code System.nanoTime()} of each status a task enters and of each worker going
 * offline.
 */
final class MqttFleet implements AutoCloseable {
  static final long LIMIT_SECONDS = 120;

  /** Every file of every build, as the agents' files resolver serves it from memory. */
  private static final byte[] NOOP_SCRIPT =
      "#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.US_ASCII);

  private final int brokerPort;
  private final Path dir;
  private final Duration willDelay;
  private final Probe probe = new Probe();
  final MqttCoreTransport transport;
  final ProteusCore core;
  private final Map<String, Agent> agents = new ConcurrentHashMap<>();
  private final Map<String, MqttAgentLink> links = new ConcurrentHashMap<>();
  private final Map<String, TcpProxy> proxies = new ConcurrentHashMap<>();
  private int jobs;

  MqttFleet(int brokerPort, Path dir, Duration willDelay) {
    this.brokerPort = brokerPort;
    this.dir = dir;
    this.willDelay = willDelay;
    this.transport = MqttCoreTransport.create(settings(brokerPort));
    this.core =
        ProteusCore.builder()
            .transport(transport)
            .listener(probe)
            .unroutableGrace(Duration.ofMinutes(5))
            .build()
            .start();
  }

  private MqttSettings settings(int port) {
    return MqttSettings.builder("127.0.0.1", port)
        .namespace("bench")
        .willDelay(willDelay)
        .reconnectMaxDelay(Duration.ofMillis(500))
        .build();
  }

  /**
   * Starts an agent, straight on the broker or through a {@link TcpProxy} of its own, and waits
   * until the core has it as an idle worker.
   */
  void agent(String id, boolean hangs, boolean proxied) throws IOException, InterruptedException {
    int port = brokerPort;
    if (proxied) {
      TcpProxy proxy = new TcpProxy(brokerPort);
      proxies.put(id, proxy);
      port = proxy.port();
    }
    Agent a =
        Agent.builder(id, new NoopPlatform(hangs))
            .pool(Builds.POOL)
            .workRoot(dir.resolve("agents").resolve(id))
            .leaveGrace(Duration.ofMillis(200))
            .files(ref -> relative -> new ByteArrayInputStream(NOOP_SCRIPT))
            .build();
    MqttAgentLink link = MqttAgentLink.create(settings(port), id);
    links.put(id, link);
    agents.put(id, a);
    a.start(link);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
    while (core.workers().stream()
        .noneMatch(w -> w.descriptor().id().equals(id) && w.state() == WorkerState.IDLE)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("agent " + id + " did not join in " + LIMIT_SECONDS + " s");
      }
      Thread.sleep(5);
    }
  }

  /**
   * Closes the TCP connections of agent {@code id} and refuses new ones: a kill -9 as the broker
   * sees it.
   */
  void kill(String id) {
    TcpProxy p = proxies.get(id);
    if (p == null) {
      throw new IllegalStateException(id + " has no proxy");
    }
    p.cut();
  }

  /** Stops agent {@code id} and closes its proxy. */
  void remove(String id) throws IOException {
    Agent a = agents.remove(id);
    if (a != null) {
      a.stop();
    }
    TcpProxy p = proxies.remove(id);
    if (p != null) {
      p.close();
    }
    links.remove(id);
  }

  /** Messages the agents' links sent and received so far. */
  long[] agentMessages() {
    long sent = 0;
    long received = 0;
    for (MqttAgentLink l : links.values()) {
      MqttStats s = l.stats();
      sent += s.sent();
      received += s.received();
    }
    return new long[] {sent, received};
  }

  /** A job of {@code tasks} no-op tasks. */
  JobId submit(int tasks) {
    Build b = Builds.noop("mqtt-" + ++jobs, tasks);
    return core.submit(b).get(0);
  }

  /** Waits until the job is final; throws unless every task passed. */
  JobResult await(JobId id) throws InterruptedException {
    try {
      JobResult r = core.completion(id).get(LIMIT_SECONDS, TimeUnit.SECONDS);
      String failed = Builds.failures(r);
      if (!failed.isEmpty()) {
        throw new IllegalStateException("a no-op MQTT job failed" + failed);
      }
      return r;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the MQTT job did not complete", e);
    }
  }

  Probe probe() {
    return probe;
  }

  @Override
  public void close() throws IOException {
    for (String id : new ArrayList<>(agents.keySet())) {
      remove(id);
    }
    core.stop(Duration.ofSeconds(2));
  }

  /** What the listener saw, by {@code System.nanoTime()} on the core's loop thread. */
  static final class Probe implements ProteusListener {
    private volatile boolean timing;
    private final Map<TaskId, long[]> times = new ConcurrentHashMap<>();
    private final Map<String, Long> lastEnd = new ConcurrentHashMap<>();
    private volatile @Nullable Samples gaps;
    private volatile @Nullable Watch watch;

    /** Records each status a task enters from now on, until {@link #stop}. */
    void time() {
      times.clear();
      timing = true;
    }

    /**
     * Also adds, for each dispatch to a worker, the time since that worker's previous task ended.
     */
    void gaps(Samples into) {
      lastEnd.clear();
      gaps = into;
    }

    void stop() {
      timing = false;
      gaps = null;
    }

    /** When task {@code id} entered each status (0 for never), by {@link TaskStatus} ordinal. */
    long[] times(TaskId id) {
      return times.getOrDefault(id, new long[TaskStatus.values().length]);
    }

    List<long[]> all() {
      return List.copyOf(times.values());
    }

    /** Watches for {@code victim} going offline and a dispatch to {@code rescuer}. */
    Watch watch(String victim, String rescuer) {
      Watch w = new Watch(victim, rescuer, new CompletableFuture<>(), new CompletableFuture<>());
      watch = w;
      return w;
    }

    @Override
    public void onEvent(ProteusEvent event) {
      long now = System.nanoTime();
      if (event instanceof ProteusEvent.TaskChanged c) {
        if (timing) {
          times
                  .computeIfAbsent(c.task(), k -> new long[TaskStatus.values().length])[
                  c.to().ordinal()] =
              now;
        }
        Samples g = gaps;
        Optional<String> worker = c.worker();
        if (g != null && worker.isPresent()) {
          if (c.to() == TaskStatus.DISPATCHED) {
            Long end = lastEnd.get(worker.get());
            if (end != null) {
              g.add(now - end);
            }
          } else if (c.to().isFinal()) {
            lastEnd.put(worker.get(), now);
          }
        }
        Watch w = watch;
        if (w != null
            && c.to() == TaskStatus.DISPATCHED
            && worker.isPresent()
            && worker.get().equals(w.rescuer())) {
          w.redispatched().complete(now);
        }
      } else if (event instanceof ProteusEvent.WorkerChanged c) {
        Watch w = watch;
        if (w != null && c.worker().equals(w.victim()) && c.to() == WorkerState.OFFLINE) {
          w.offline().complete(now);
        }
      }
    }
  }

  /** The times a kill round waits for. */
  record Watch(
      String victim,
      String rescuer,
      CompletableFuture<Long> offline,
      CompletableFuture<Long> redispatched) {}
}
