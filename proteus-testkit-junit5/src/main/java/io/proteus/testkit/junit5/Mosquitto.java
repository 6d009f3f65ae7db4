package io.proteus.testkit.junit5;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * A real mosquitto broker for tests of MQTT transports: its own process and folder, a free loopback
 * port, {@code set_tcp_nodelay true} (without it a QoS 1 round trip waits tens of milliseconds) and
 * persistence, so that it can be stopped and started again on the same port with its sessions. A
 * test that needs it skips when mosquitto is not installed; with {@code CI=true} it fails instead:
 * CI must run it.
 */
public final class Mosquitto implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final List<String> extraConfig;
  private Process process;

  private Mosquitto(Path dir, int port, List<String> extraConfig) {
    this.dir = dir;
    this.port = port;
    this.extraConfig = extraConfig;
  }

  /** Skips (or, in CI, fails) when mosquitto is not installed. */
  public static void assumeInstalled() {
    if (binary() == null) {
      String why = "mosquitto is not installed (apt-get install mosquitto)";
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true, so the MQTT tests must run, but " + why);
      }
      Assumptions.abort("skipped: " + why);
    }
  }

  /** A started broker with anonymous access, kept in {@code dir}. */
  public static Mosquitto start(Path dir) throws IOException {
    return start(dir, List.of("allow_anonymous true"));
  }

  /**
   * A started broker with {@code config} lines added to its listener (such as {@code
   * allow_anonymous false}, {@code password_file}, {@code certfile} and {@code keyfile}).
   */
  public static Mosquitto start(Path dir, List<String> config) throws IOException {
    assumeInstalled();
    Files.createDirectories(dir);
    Mosquitto m = new Mosquitto(dir, freePort(), config);
    m.startProcess();
    return m;
  }

  /** Its port on loopback. */
  public int port() {
    return port;
  }

  /** Its folder: configuration, persistence and {@code mosquitto.log}. */
  public Path dir() {
    return dir;
  }

  /** Stops the broker as a service manager would (SIGTERM): it saves its sessions. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Starts the broker again on the same port and folder. */
  public void restart() throws IOException {
    startProcess();
  }

  /** Stops the broker. */
  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void startProcess() throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("per_listener_settings false");
    if ("root".equals(System.getProperty("user.name"))) {
      lines.add("user root");
    }
    lines.add("listener " + port + " 127.0.0.1");
    lines.add("set_tcp_nodelay true");
    lines.add("persistence true");
    lines.add("persistence_location " + dir.toAbsolutePath() + "/");
    lines.add("max_queued_messages 10000");
    lines.add("log_dest file " + dir.toAbsolutePath().resolve("mosquitto.log"));
    lines.add("log_type error");
    lines.add("log_type warning");
    lines.add("log_type notice");
    lines.add("log_type information");
    lines.addAll(extraConfig);
    Path conf = dir.resolve("mosquitto.conf");
    Files.write(conf, lines);
    process =
        new ProcessBuilder(installed(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> {
          if (!process.isAlive()) {
            throw new IllegalStateException(
                "mosquitto exited: " + Files.readString(dir.resolve("stdout.log")));
          }
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 200);
            return true;
          } catch (IOException e) {
            return false;
          }
        });
  }

  private static String installed() {
    String bin = binary();
    if (bin == null) {
      throw new IllegalStateException("mosquitto is not installed");
    }
    return bin;
  }

  private static @Nullable String binary() {
    for (String p :
        List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto")) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    return null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
