package io.proteus.examples.cli;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An MQTT 5 broker in this process (HiveMQ Community Edition, embedded) for one machine: one TCP
 * listener on {@code host}:{@code port}, no extensions, its configuration, data and extensions
 * folders under {@code dir}, no anonymous statistics, HiveMQ's own logging bootstrap off (it logs
 * through this process's SLF4J binding).
 */
final class EmbeddedBroker implements AutoCloseable {
  private final EmbeddedHiveMQ hivemq;
  private final Duration startTime;

  private EmbeddedBroker(EmbeddedHiveMQ hivemq, Duration startTime) {
    this.hivemq = hivemq;
    this.startTime = startTime;
  }

  /**
   * Starts a broker listening on {@code host}:{@code port}, keeping its folders under {@code dir}.
   *
   * @throws IOException when its folders cannot be made or it does not start within a minute
   */
  static EmbeddedBroker start(String host, int port, Path dir) throws IOException {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Path data = Files.createDirectories(dir.resolve("data"));
    Path extensions = Files.createDirectories(dir.resolve("extensions"));
    Files.writeString(conf.resolve("config.xml"), config(host, port), StandardCharsets.UTF_8);
    long t0 = System.nanoTime();
    EmbeddedHiveMQ hivemq =
        EmbeddedHiveMQ.builder()
            .withConfigurationFolder(conf)
            .withDataFolder(data)
            .withExtensionsFolder(extensions)
            .withoutLoggingBootstrap()
            .build();
    try {
      hivemq.start().get(1, TimeUnit.MINUTES);
    } catch (ExecutionException | TimeoutException e) {
      closeQuietly(hivemq);
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException(
          "the broker did not start on " + host + ":" + port + ": " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(hivemq);
      throw new IOException("interrupted while the broker started", e);
    }
    return new EmbeddedBroker(hivemq, Duration.ofNanos(System.nanoTime() - t0));
  }

  /** How long it took to start. */
  Duration startTime() {
    return startTime;
  }

  /** Stops the broker: its clients are disconnected. */
  @Override
  public void close() {
    closeQuietly(hivemq);
  }

  private static void closeQuietly(EmbeddedHiveMQ hivemq) {
    try {
      hivemq.stop().get(30, TimeUnit.SECONDS);
      hivemq.close();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      // stopping as well as it can
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String config(String host, int port) {
    return """
    <?xml version="1.0"?>
    <hivemq>
      <listeners>
        <tcp-listener>
          <port>%d</port>
          <bind-address>%s</bind-address>
        </tcp-listener>
      </listeners>
      <anonymous-usage-statistics>
        <enabled>false</enabled>
      </anonymous-usage-statistics>
    </hivemq>
    """
        .formatted(port, xml(host));
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
