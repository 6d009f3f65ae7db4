package io.proteus.examples.cli;

import io.proteus.ProteusException;
import io.proteus.core.agent.Agent;
import io.proteus.core.artifacts.ArtifactFetcher;
import io.proteus.core.artifacts.ArtifactFetcherBuilder;
import io.proteus.core.artifacts.ArtifactResolver;
import io.proteus.mqtt.MqttAgentLink;
import io.proteus.mqtt.MqttSettings;
import io.proteus.spi.Platform;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code proteus worker}: one agent that joins a core through the MQTT broker. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one agent until it is stopped: it joins the core of its namespace through the MQTT broker, takes one task at a"
          + " time, fetches the build files it needs from the core's artifact server into its"
          + " cache, and runs each task as a local process or in a container.",
      "SIGTERM drains it: it tells the core, takes no new task, lets the one it runs go on for"
          + " worker.drainDeadline (then the core takes it back to run elsewhere), says goodbye"
          + " and exits 0. A second SIGTERM, or Ctrl-C, stops it at once: the core takes back"
          + " the task it ran.",
      "Settings: --config FILE, PROTEUS_<KEY> environment variables, --set KEY=VALUE"
          + " (see docs/distributed.md).",
      "Exit codes: 0 drained after SIGTERM, 143 stopped by a second SIGTERM, 130 by Ctrl-C, 1 the broker refused it or could not be"
          + " reached, 2 bad settings."
    })
final class WorkerCommand implements Callable<Integer> {
  @Mixin ParentWatch watch = new ParentWatch();

  @Mixin ConfigOptions options = new ConfigOptions();

  @Option(
      names = "--crash-on-first-task",
      hidden = true,
      description = "The demo's agent that dies once: halt the process as its first task starts.")
  boolean crashOnFirstTask;

  @Override
  public Integer call() throws IOException, InterruptedException {
    watch.start();
    LauncherConfig config;
    MqttSettings mqtt;
    Platform platform;
    ArtifactFetcherBuilder fetcherBuilder;
    String id;
    Path work;
    try {
      config = options.load("worker");
      mqtt = MqttConfig.settings(config);
      id = config.string("worker.id");
      work =
          config
              .path("worker.work")
              .orElse(Path.of(System.getProperty("java.io.tmpdir"), "proteus-agent-" + id))
              .toAbsolutePath();
      Optional<Platform> p = WorkerPlatform.of(config, work);
      if (p.isEmpty()) {
        return 2;
      }
      platform = crashOnFirstTask ? new CrashOnFirstTask(p.get()) : p.get();
      fetcherBuilder =
          ArtifactFetcher.builder(config.path("worker.cache").orElse(work.resolve("cache")))
              .budgetBytes(config.size("worker.cacheBudget"));
      Stores.load(config, "artifacts.tls.trustStore", "artifacts.tls.trustStorePassword")
          .ifPresent(fetcherBuilder::trustStore);
    } catch (ConfigException e) {
      System.err.println("proteus worker: " + e.getMessage());
      return 2;
    }
    ArtifactFetcher fetcher = fetcherBuilder.build();
    Agent.Builder ab =
        Agent.builder(id, platform)
            .pool(config.string("worker.pool"))
            .tags(config.list("worker.tags").toArray(String[]::new))
            .workRoot(work)
            .files(ArtifactResolver.using(fetcher))
            .heartbeatInterval(config.duration("worker.heartbeatInterval"))
            .drainDeadline(config.duration("worker.drainDeadline"));
    config.optionalString("worker.topic").ifPresent(ab::topic);
    Agent agent = ab.build();
    try {
      agent.start(MqttAgentLink.create(mqtt, id));
    } catch (ProteusException e) {
      agent.stop();
      fetcher.close();
      System.err.println("proteus worker: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicInteger code = new AtomicInteger(0);
    AtomicBoolean closed = new AtomicBoolean();
    Runnable stopNow =
        () -> {
          agent.stop();
          if (closed.compareAndSet(false, true)) {
            fetcher.close();
            System.out.println("proteus worker " + id + ": stopped");
            System.out.flush();
          }
          stopped.countDown();
        };
    Runtime.getRuntime().addShutdownHook(new Thread(stopNow, "proteus-worker-stop"));
    Duration deadline = config.duration("worker.drainDeadline");
    TermSignal.install(
        "proteus-worker",
        () -> {
          System.out.println(
              "proteus worker " + id + ": draining (its task may take up to " + deadline + ")");
          System.out.flush();
          agent.drain(deadline).join();
          System.out.println("proteus worker " + id + ": drained");
          stopNow.run();
        },
        () -> {
          code.set(143);
          System.out.println("proteus worker " + id + ": second SIGTERM, stopping at once");
          System.out.flush();
          stopNow.run();
        });
    System.out.println(
        "proteus worker "
            + id
            + ": connected to "
            + mqtt
            + " as "
            + agent.descriptor().platform()
            + " in pool "
            + agent.descriptor().pool()
            + "; work folder "
            + work);
    System.out.flush();
    stopped.await();
    return code.get();
  }
}
