package io.proteus.examples.cli;

import io.proteus.core.internal.util.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code proteus broker}: an embedded MQTT broker for a core and agents on one machine. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs an MQTT 5 broker (HiveMQ Community Edition, embedded) for a core and agents on one"
          + " machine, until it is stopped (Ctrl-C or SIGTERM). It allows anonymous clients: keep"
          + " it on loopback, or use a broker with users and TLS across machines.",
      "Exit codes: 143 stopped by SIGTERM, 130 by Ctrl-C, 1 the broker could not start, 2 a bad"
          + " option."
    })
final class BrokerCommand implements Callable<Integer> {
  @Mixin ParentWatch watch = new ParentWatch();

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "The port to listen on (default: ${DEFAULT-VALUE}).")
  int port = 1883;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description = "The address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
  String host = "127.0.0.1";

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "The broker's configuration, data and extensions folders go here, and stay (default: a"
              + " temp folder, deleted when the broker stops).")
  @Nullable Path data;

  @Override
  public Integer call() throws IOException, InterruptedException {
    watch.start();
    if (port < 1 || port > 65535) {
      System.err.println("proteus broker: --port must be 1 to 65535, not " + port);
      return 2;
    }
    Path dir =
        data != null ? Files.createDirectories(data) : Files.createTempDirectory("proteus-broker");
    for (String quiet : new String[] {"jetbrains.exodus", "migrations", "com.hivemq"}) {
      System.setProperty("org.slf4j.simpleLogger.log." + quiet, "warn");
    }
    EmbeddedBroker broker;
    try {
      broker = EmbeddedBroker.start(host, port, dir);
    } catch (IOException e) {
      System.err.println("proteus broker: " + e.getMessage());
      if (data == null) {
        Trees.deleteQuietly(dir);
      }
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.close();
                  if (data == null) {
                    Trees.deleteQuietly(dir);
                  }
                  stopped.countDown();
                },
                "proteus-broker-stop"));
    System.out.printf(
        "proteus broker: listening on %s:%d (started in %d ms; data in %s)%n",
        host, port, broker.startTime().toMillis(), dir);
    System.out.flush();
    stopped.await();
    return 0;
  }
}
