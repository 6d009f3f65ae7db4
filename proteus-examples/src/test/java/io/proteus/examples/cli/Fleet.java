package io.proteus.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A core and agents as separate launcher processes ({@code proteus core} and {@code proteus worker}
 * with config files) on one broker, in a test's folder. Closing it kills them all.
 */
final class Fleet implements AutoCloseable {
  private final Path dir;
  private final Path mqtt;
  private final List<LauncherDaemon> daemons = new ArrayList<>();

  Fleet(Path dir, int brokerPort) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.mqtt =
        Files.writeString(
            dir.resolve("mqtt.yaml"),
            String.join(
                "\n",
                "mqtt:",
                "  host: 127.0.0.1",
                "  port: " + brokerPort,
                "  namespace: t-" + UUID.randomUUID().toString().substring(0, 8),
                "  willDelay: 1s",
                "  reconnectMaxDelay: 1s",
                ""));
  }

  Path inbox() {
    return dir.resolve("inbox");
  }

  Path outbox() {
    return dir.resolve("outbox");
  }

  /** Starts {@code proteus core} with the broker's settings and a core.yaml, once it is up. */
  LauncherDaemon core() throws IOException {
    return core(new String[0]);
  }

  /** As {@link #core()}, with more command-line arguments. */
  LauncherDaemon core(String... more) throws IOException {
    Path conf =
        Files.writeString(
            dir.resolve("core.yaml"),
            Files.readString(mqtt)
                + String.join(
                    "\n",
                    "core:",
                    "  inbox: " + inbox(),
                    "  pollInterval: 200ms",
                    "  leaseGrace: 10s",
                    ""));
    List<String> args = new ArrayList<>(List.of("core", "--config", conf.toString()));
    args.addAll(List.of(more));
    LauncherDaemon core = start(args.toArray(String[]::new));
    core.awaitOutput("proteus core: up on", Duration.ofSeconds(60));
    return core;
  }

  /** Starts {@code proteus worker} {@code id} on {@code platform} from a file of its own. */
  LauncherDaemon worker(String id, String platform) throws IOException {
    return worker(id, platform, "");
  }

  /** As {@link #worker(String, String)}, with more {@code worker:} lines (indented YAML). */
  LauncherDaemon worker(String id, String platform, String moreWorkerLines) throws IOException {
    Path conf =
        Files.writeString(
            dir.resolve(id + ".yaml"),
            Files.readString(mqtt)
                + String.join(
                    "\n",
                    "worker:",
                    "  id: " + id,
                    "  platform: " + platform,
                    "  pool: " + "demo",
                    "  work: " + dir.resolve("agents").resolve(id),
                    "  heartbeatInterval: 2s",
                    moreWorkerLines,
                    ""));
    LauncherDaemon w = start("worker", "--config", conf.toString());
    w.awaitOutput("connected to", Duration.ofSeconds(60));
    return w;
  }

  private LauncherDaemon start(String... args) throws IOException {
    LauncherDaemon d =
        LauncherDaemon.start(dir.resolve("tmp-" + args[0] + "-" + daemons.size()), Map.of(), args);
    daemons.add(d);
    return d;
  }

  /** Drops the folder {@code build} into the inbox atomically, as {@code name}. */
  void drop(Path build, String name) throws IOException {
    Files.createDirectories(inbox());
    Files.move(build, inbox().resolve(name));
  }

  /** The summary files the core wrote so far. */
  List<Path> summaries() throws IOException {
    if (!Files.isDirectory(outbox())) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(outbox())) {
      return s.filter(p -> p.getFileName().toString().endsWith(".summary.json")).sorted().toList();
    }
  }

  @Override
  public void close() {
    for (LauncherDaemon d : daemons) {
      d.close();
    }
  }
}
