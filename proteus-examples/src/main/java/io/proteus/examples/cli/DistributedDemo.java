package io.proteus.examples.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code proteus demo --distributed}: the demo's sample build through a broker, a core and three
 * agents, each a process of its own ({@code proteus broker}, {@code proteus core --run}, {@code
 * proteus worker}): two linux-x64 agents, one of which halts as its first task starts and is
 * started again, and one linux-arm64 agent. The core's output is the demo's; every child is stopped
 * at the end, on failure and on Ctrl-C.
 */
final class DistributedDemo {
  /** The agents: id and platform; the first halts on its first task. */
  static final List<String[]> AGENTS =
      List.of(
          new String[] {"demo-x64-1", "linux-x64"},
          new String[] {"demo-x64-2", "linux-x64"},
          new String[] {"demo-arm64-1", "linux-arm64"});

  private final Path work;
  private final Path logs;

  DistributedDemo(Path work) throws IOException {
    this.work = work;
    this.logs = Files.createDirectories(work.resolve("logs"));
  }

  /** Runs the demo; the core's exit code, or 1 when the set-up failed. */
  int run(Path build, Path out, String flavour, @Nullable String broker) throws IOException {
    try (Children children = new Children()) {
      String host = "127.0.0.1";
      int port;
      if (broker == null) {
        port = freePort();
        long t0 = System.nanoTime();
        Process b =
            children.start(
                List.of(
                    "broker",
                    "--port",
                    Integer.toString(port),
                    "--data",
                    work.resolve("broker").toString()),
                logs.resolve("broker.log"));
        if (!awaitPort(b, host, port, Duration.ofSeconds(90))) {
          System.err.println(
              "proteus demo: the embedded broker did not start; its log:\n" + tail("broker.log"));
          return 1;
        }
        System.out.printf(
            "Distributed: embedded broker on %s:%d (ready in %d ms)%n",
            host, port, Duration.ofNanos(System.nanoTime() - t0).toMillis());
      } else {
        int colon = broker.lastIndexOf(':');
        host = broker.substring(0, colon);
        port = Integer.parseInt(broker.substring(colon + 1));
        System.out.printf("Distributed: the broker at %s:%d%n", host, port);
      }
      Path mqtt = writeMqtt(host, port);
      for (int i = 0; i < AGENTS.size(); i++) {
        startAgent(children, mqtt, AGENTS.get(i), i == 0);
      }
      System.out.println(
          "Distributed: a core and "
              + AGENTS.size()
              + " agents, each its own process (their logs: "
              + logs
              + ")");
      Process core =
          children.startPiped(
              List.of(
                  "core",
                  "--config",
                  mqtt.toString(),
                  "--set",
                  "core.junitFlavour=" + flavour,
                  "--set",
                  "core.leaseGrace=10s",
                  "--set",
                  "core.storage=" + work.resolve("core-storage"),
                  "--run",
                  build.toString(),
                  "--out",
                  out.toString(),
                  "--demo"),
              logs.resolve("core.log"));
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(core.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          System.out.println(line);
        }
      }
      int code = core.waitFor();
      if (code != 0) {
        System.err.println(
            "proteus demo: the core exited with " + code + "; its log:\n" + tail("core.log"));
      }
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private Path writeMqtt(String host, int port) throws IOException {
    String namespace = "demo-" + UUID.randomUUID().toString().substring(0, 8);
    return Files.writeString(
        work.resolve("mqtt.yaml"),
        String.join(
            "\n",
            "mqtt:",
            "  host: " + host,
            "  port: " + port,
            "  namespace: " + namespace,
            "  willDelay: 1s",
            "  reconnectMaxDelay: 1s",
            ""));
  }

  private void startAgent(Children children, Path mqtt, String[] agent, boolean crashOnce)
      throws IOException {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "worker",
            "--config",
            mqtt.toString(),
            "--set",
            "worker.id=" + agent[0],
            "--set",
            "worker.platform=" + agent[1],
            "--set",
            "worker.pool=demo",
            "--set",
            "worker.work=" + work.resolve("agents").resolve(agent[0])));
    if (crashOnce) {
      args.add("--crash-on-first-task");
    }
    Process p = children.start(args, logs.resolve(agent[0] + ".log"));
    if (crashOnce) {
      p.onExit()
          .thenRunAsync(
              () -> restart(children, mqtt, agent, p.exitValue()),
              CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS));
    }
  }

  private void restart(Children children, Path mqtt, String[] agent, int exit) {
    if (exit != 137) {
      return;
    }
    System.out.println(
        "agent "
            + agent[0]
            + ": simulated crash (its process halted as its first task started); starting it"
            + " again");
    try {
      startAgent(children, mqtt, agent, false);
    } catch (IOException e) {
      System.err.println("proteus demo: cannot start " + agent[0] + " again: " + e.getMessage());
    }
  }

  private String tail(String log) {
    try (Stream<String> lines = Files.lines(logs.resolve(log), StandardCharsets.UTF_8)) {
      List<String> all = lines.toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(no log)";
    }
  }

  private static boolean awaitPort(Process p, String host, int port, Duration limit) {
    long until = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < until && p.isAlive()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 200);
        return true;
      } catch (IOException e) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Whether {@code value} is HOST:PORT. */
  static boolean isHostPort(String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 1) {
      return false;
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1).toLowerCase(Locale.ROOT));
      return port > 0 && port < 65536;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
