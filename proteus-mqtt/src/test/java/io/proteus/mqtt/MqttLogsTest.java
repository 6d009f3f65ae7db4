package io.proteus.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.AttemptRecord;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every attempt's whole log crosses to the core's artifact server and is kept with the task. */
class MqttLogsTest {
  @TempDir Path tmp;
  Mosquitto broker;
  Fleet fleet;

  @BeforeEach
  void start() throws Exception {
    broker = Mosquitto.start(tmp.resolve("broker"));
    fleet = new Fleet(tmp.resolve("fleet"), broker.port(), b -> b);
    fleet.agent("a1");
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
    broker.close();
  }

  @Test
  void aPassedAndATimedOutAttemptsLogsAreKeptOnTheCore() throws Exception {
    JobId job =
        fleet.submit(
            List.of(
                Fleet.test("quick", 0, 0),
                Fleet.test("slow", 30, 0).withTimeout(Duration.ofSeconds(1))));
    JobResult done = fleet.awaitDone(job);
    assertThat(done.tasks().get(0).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(done.tasks().get(1).status()).isIn(TaskStatus.ERROR, TaskStatus.FAILED);
    Path coreLogs = tmp.resolve("fleet/core-logs").toRealPath();
    for (int i = 0; i < 2; i++) {
      for (AttemptRecord a : done.tasks().get(i).attempts()) {
        Path log = Path.of(a.log().orElseThrow());
        assertThat(log.toRealPath()).startsWith(coreLogs);
        assertThat(Files.readString(log)).contains("line from " + done.tasks().get(i).testName());
      }
    }
  }
}
