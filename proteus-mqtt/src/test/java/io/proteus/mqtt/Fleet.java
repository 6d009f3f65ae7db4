package io.proteus.mqtt;

import static org.awaitility.Awaitility.await;

import io.proteus.core.ProteusCore;
import io.proteus.core.agent.Agent;
import io.proteus.core.artifacts.ArtifactFetcher;
import io.proteus.core.artifacts.ArtifactPublisher;
import io.proteus.core.artifacts.ArtifactResolver;
import io.proteus.core.artifacts.ArtifactServer;
import io.proteus.core.process.ProcessPlatform;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerState;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.ProteusEvent;
import io.proteus.spi.Reservation;
import io.proteus.testkit.TcpProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A whole fleet in one JVM over a real broker: a core with the MQTT transport and an artifact
 * server, and agents on the process engine that fetch the build's script from it. The core and each
 * agent reach the broker through a {@link TcpProxy} of their own, for faults.
 */
final class Fleet implements AutoCloseable {
  static final Duration LIMIT = Duration.ofSeconds(60);

  private final Path dir;
  private final int brokerPort;
  private final UnaryOperator<MqttSettings.Builder> tune;
  final TcpProxy coreProxy;
  final ArtifactServer server;
  final ProteusCore core;
  final MqttCoreTransport transport;
  final List<ProteusEvent> events = new CopyOnWriteArrayList<>();
  final Map<String, Agent> agents = new ConcurrentHashMap<>();
  final Map<String, TcpProxy> proxies = new ConcurrentHashMap<>();
  final Map<String, MqttAgentLink> links = new ConcurrentHashMap<>();
  private final List<ArtifactFetcher> fetchers = new CopyOnWriteArrayList<>();
  private final BuildFiles build;
  private int builds;

  Fleet(Path dir, int brokerPort, UnaryOperator<MqttSettings.Builder> tune) throws IOException {
    this.dir = dir;
    this.brokerPort = brokerPort;
    this.tune = tune;
    Path b = Files.createDirectories(dir.resolve("build/bin"));
    Path script = b.resolve("t.sh");
    Files.writeString(
        script,
        "#!/bin/sh\necho \"line from $PROTEUS_TEST_NAME\"\nsleep \"${SLEEP:-0}\"\nexit \"${CODE:-0}\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    build = BuildFiles.ofFolder(dir.resolve("build"));
    server = ArtifactServer.builder().logRoot(dir.resolve("core-logs")).build();
    server.start();
    ArtifactPublisher publisher = ArtifactPublisher.on(server);
    coreProxy = new TcpProxy(brokerPort);
    transport = MqttCoreTransport.create(settings(coreProxy.port()));
    core =
        ProteusCore.builder()
            .transport(transport)
            .filesPublisher(publisher)
            .listener(publisher)
            .listener(events::add)
            .heartbeatTimeout(Duration.ofSeconds(10))
            .leaseGrace(Duration.ofSeconds(10))
            .abortGrace(Duration.ofSeconds(2))
            .unroutableGrace(Duration.ofSeconds(1))
            .storage(Files.createDirectories(dir.resolve("storage")), 1L << 30)
            .build()
            .start();
  }

  /** Adds an executable script to the build at {@code relative}. */
  void script(String relative, String content) throws IOException {
    Path p = dir.resolve("build").resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  MqttSettings settings(int port) {
    return tune.apply(
            MqttSettings.builder("127.0.0.1", port)
                .namespace("fleet")
                .willDelay(Duration.ofSeconds(1))
                .keepAlive(Duration.ofSeconds(2))
                .reconnectMaxDelay(Duration.ofMillis(500))
                .connectTimeout(Duration.ofSeconds(5)))
        .build();
  }

  /** Starts an agent and waits until the core has it as a worker. */
  Agent agent(String id, UnaryOperator<Agent.Builder> more) throws IOException {
    TcpProxy proxy = new TcpProxy(brokerPort);
    proxies.put(id, proxy);
    ArtifactFetcher fetcher =
        ArtifactFetcher.builder(dir.resolve("agents").resolve(id).resolve("cache")).build();
    fetchers.add(fetcher);
    Agent a =
        more.apply(
                Agent.builder(id, new ProcessPlatform("linux", dir.resolve("agents/" + id + "/c")))
                    .workRoot(dir.resolve("agents").resolve(id))
                    .files(ArtifactResolver.using(fetcher))
                    .heartbeatInterval(Duration.ofMillis(500))
                    .resendInterval(Duration.ofSeconds(1)))
            .build();
    MqttAgentLink link = MqttAgentLink.create(settings(proxy.port()), id);
    links.put(id, link);
    a.start(link);
    agents.put(id, a);
    await()
        .atMost(LIMIT)
        .until(() ->
            core.workers().stream()
                .anyMatch(w ->
                    w.descriptor().id().equals(id)
                        && w.state() != WorkerState.OFFLINE
                        && w.state() != WorkerState.BOOTING));
    return a;
  }

  Agent agent(String id) throws IOException {
    return agent(id, b -> b);
  }

  /** A test of the build's script that sleeps {@code seconds} and exits {@code code}. */
  static TestSpec test(String name, double seconds, int code) {
    return TestSpec.builder(name, "bin/t.sh")
        .environment(Map.of("SLEEP", String.valueOf(seconds), "CODE", String.valueOf(code)))
        .build();
  }

  JobId submit(List<TestSpec> tests) {
    return submit(tests, Optional.empty());
  }

  JobId submit(List<TestSpec> tests, Optional<String> topic) {
    TestPlan plan = new TestPlan("p", "1", List.of("linux"), "default", topic, tests);
    return core.submit(new Build("b" + ++builds, List.of(plan), build, Reservation.NONE))
        .getFirst();
  }

  JobResult awaitDone(JobId job) {
    await().atMost(LIMIT).until(() -> core.job(job).orElseThrow().status().isFinal());
    return core.job(job).orElseThrow();
  }

  TaskResult task(JobId job, int index) {
    return core.job(job).orElseThrow().tasks().get(index);
  }

  void awaitRunning(JobId job, int index) {
    await().atMost(LIMIT).until(() -> task(job, index).status() == TaskStatus.RUNNING);
  }

  /** How many times a task of {@code job} became PASSED, per task index. */
  List<Long> passes(JobId job, int tasks) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      int index = i;
      out.add(
          events.stream()
              .filter(e ->
                  e instanceof ProteusEvent.TaskChanged c
                      && c.task().job().equals(job)
                      && c.task().index() == index
                      && c.to() == TaskStatus.PASSED)
              .count());
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    agents.values().forEach(Agent::stop);
    core.stop(Duration.ZERO);
    for (TcpProxy p : proxies.values()) {
      p.close();
    }
    coreProxy.close();
    fetchers.forEach(ArtifactFetcher::close);
    server.close();
  }
}
