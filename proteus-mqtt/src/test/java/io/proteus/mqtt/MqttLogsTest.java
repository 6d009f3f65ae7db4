package io.proteus.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.model.AttemptRecord;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.LiveOutput;
import io.proteus.model.TaskId;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestSpec;
import io.proteus.testkit.junit5.Mosquitto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
  void aRunningTasksLinesReachTheCoresLiveTailAndAFloodIsCountedNotCutSilently() throws Exception {
    fleet.script(
        "bin/talk.sh",
        "#!/bin/sh\nfor i in 1 2 3; do echo \"tick $i\"; done\n"
            + "if [ -n \"$FLOOD\" ]; then seq 1 200000; fi\n"
            + "while [ ! -e \"$STOP\" ]; do sleep 0.05; done\n");
    Path stop = tmp.resolve("stop");
    JobId job =
        fleet.submit(
            List.of(
                TestSpec.builder("talk", "bin/talk.sh")
                    .environment(Map.of("STOP", stop.toString()))
                    .build()));
    TaskId task = new TaskId(job, 0);
    await()
        .atMost(Fleet.LIMIT)
        .until(
            () -> fleet.core.liveOutput(task).map(o -> o.lines().contains("tick 3")).orElse(false));
    LiveOutput quiet = fleet.core.liveOutput(task).orElseThrow();
    assertThat(quiet.lines()).containsSubsequence("tick 1", "tick 2", "tick 3");
    assertThat(quiet.dropped()).isZero();
    assertThat(quiet.fencingToken())
        .isEqualTo(fleet.task(job, 0).attempts().getLast().fencingToken());
    Files.writeString(stop, "");
    fleet.awaitDone(job);

    JobId flood =
        fleet.submit(
            List.of(
                TestSpec.builder("flood", "bin/talk.sh")
                    .environment(Map.of("STOP", stop + "-flood", "FLOOD", "1"))
                    .build()));
    TaskId flooded = new TaskId(flood, 0);
    await()
        .atMost(Fleet.LIMIT)
        .until(() ->
            fleet.core.liveOutput(flooded).map(o -> o.lines().contains("200000")).orElse(false));
    LiveOutput tail = fleet.core.liveOutput(flooded).orElseThrow();
    Files.writeString(tmp.resolve("stop-flood"), "");
    fleet.awaitDone(flood);
    assertThat(tail.lines()).hasSizeLessThanOrEqualTo(500).isNotEmpty();
    assertThat(tail.dropped() + tail.lines().size()).isLessThanOrEqualTo(200_003);
    assertThat(tail.dropped()).isGreaterThan(199_000);
    assertThat(
            Files.readString(
                Path.of(fleet.task(flood, 0).attempts().getLast().log().orElseThrow())))
        .contains("out| 200000");
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
