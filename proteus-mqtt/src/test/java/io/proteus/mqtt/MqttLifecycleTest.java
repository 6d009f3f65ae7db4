package io.proteus.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.testkit.junit5.Mosquitto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Once stopped, the core's end and the agents' links leave no thread that keeps a JVM alive. */
class MqttLifecycleTest {
  @TempDir Path tmp;

  private static List<String> liveClientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> !t.isDaemon())
        .map(Thread::getName)
        .filter(n -> n.startsWith("com.hivemq") || n.startsWith("proteus-mqtt"))
        .toList();
  }

  @Test
  void aStoppedFleetLeavesNoThreadThatKeepsTheJvmAlive() throws Exception {
    try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"))) {
      try (Fleet fleet = new Fleet(tmp.resolve("fleet"), broker.port(), b -> b)) {
        fleet.agent("a1");
        fleet.awaitDone(fleet.submit(List.of(Fleet.test("t", 0, 0))));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> liveClientThreads().isEmpty());
      assertThat(liveClientThreads()).isEmpty();
    }
  }
}
