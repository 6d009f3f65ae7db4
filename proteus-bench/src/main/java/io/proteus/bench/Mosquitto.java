package io.proteus.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A mosquitto broker of the bench's own, in a folder, on a free loopback port, with {@code
 * set_tcp_nodelay true} (without it a QoS 1 round trip waits for Nagle's delayed ACK, about 40 ms)
 * and no persistence.
 */
final class Mosquitto implements AutoCloseable {
  private final Process process;
  private final int port;

  private Mosquitto(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The mosquitto binary, or null when it is not installed. */
  static @Nullable String binary() {
    for (String p :
        List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto")) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    return null;
  }

  /**
   * Starts one and waits until its port takes connections.
   *
   * @throws IllegalStateException when mosquitto is not installed, or exits or is not up in 10 s
   */
  static Mosquitto start(Path dir) throws IOException, InterruptedException {
    String binary = binary();
    if (binary == null) {
      throw new IllegalStateException("mosquitto is not installed (apt-get install mosquitto)");
    }
    Files.createDirectories(dir);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path conf = dir.resolve("mosquitto.conf");
    Files.write(
        conf,
        List.of(
            "listener " + port + " 127.0.0.1",
            "allow_anonymous true",
            "set_tcp_nodelay true",
            "persistence false",
            "log_dest stderr",
            "log_type error",
            "log_type warning"));
    Path log = dir.resolve("mosquitto.log");
    Process p =
        new ProcessBuilder(binary, "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      if (!p.isAlive()) {
        throw new IllegalStateException("mosquitto exited: " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return new Mosquitto(p, port);
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IllegalStateException("mosquitto did not listen on " + port + " in 10 s", e);
        }
        Thread.sleep(20);
      }
    }
  }

  int port() {
    return port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
