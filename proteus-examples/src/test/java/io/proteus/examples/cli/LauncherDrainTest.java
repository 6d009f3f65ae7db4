package io.proteus.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proteus.testkit.junit5.Mosquitto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to {@code proteus worker}, a separate process on mosquitto: it drains and exits 0, its
 * task handed back to another agent; a second SIGTERM stops it at once, losing nothing.
 */
class LauncherDrainTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RUNNING =
      Pattern.compile("run +linux-x64 +slow +attempt 1 on (a[12])");
  @TempDir Path tmp;

  @BeforeEach
  void needsMosquitto() {
    Mosquitto.assumeInstalled();
  }

  /** A build whose one test runs 60 s the first time (marked in {@code mark}) and at once later. */
  private Path slowOnce(Path mark) throws Exception {
    Path build = Files.createDirectories(tmp.resolve(".slow"));
    Files.writeString(
        build.resolve("tests.json"),
        """
        {"name": "slow", "build": "1", "platforms": ["linux-x64"], "pool": "demo",
         "tests": [{"name": "slow", "binary": "slow.sh"}]}
        """);
    Files.writeString(
        build.resolve("slow.sh"),
        "#!/bin/sh\nif [ ! -e '"
            + mark
            + "' ]; then touch '"
            + mark
            + "'; sleep 60; fi\necho done\n");
    return build;
  }

  private record Run(String victim, String other, Map<String, LauncherDaemon> agents) {}

  private Run startOnTwoAgents(Fleet fleet, LauncherDaemon core, String workerLines)
      throws Exception {
    Map<String, LauncherDaemon> agents =
        Map.of(
            "a1", fleet.worker("a1", "linux-x64", workerLines),
            "a2", fleet.worker("a2", "linux-x64", workerLines));
    fleet.drop(slowOnce(tmp.resolve("mark")), "slow");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> RUNNING.matcher(core.output()).find());
    Matcher m = RUNNING.matcher(core.output());
    assertThat(m.find()).isTrue();
    String victim = m.group(1);
    return new Run(victim, victim.equals("a1") ? "a2" : "a1", agents);
  }

  private List<String[]> attempts(Fleet fleet) throws Exception {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> fleet.summaries().size() == 1);
    JsonNode task =
        JSON.readTree(fleet.summaries().get(0).toFile()).path("jobs").get(0).path("tasks").get(0);
    assertThat(task.path("status").asText()).isEqualTo("PASSED");
    List<String[]> out = new ArrayList<>();
    for (JsonNode a : task.path("attemptHistory")) {
      out.add(new String[] {a.path("worker").asText(), a.path("end").asText()});
    }
    return out;
  }

  @Test
  void sigtermDrainsTheWorkerWhichExitsZeroAndItsTaskIsHandedBackToAnother() throws Exception {
    try (Mosquitto broker = Mosquitto.start(tmp.resolve("mosquitto"));
        Fleet fleet = new Fleet(tmp.resolve("fleet"), broker.port())) {
      LauncherDaemon core = fleet.core();
      Run run = startOnTwoAgents(fleet, core, "  drainDeadline: 1s");
      LauncherDaemon victim = run.agents().get(run.victim());
      assertThat(victim.terminate(Duration.ofSeconds(30))).as(victim.output()).isZero();
      assertThat(victim.output()).contains(": draining", ": drained");
      assertThat(attempts(fleet))
          .as(core.output())
          .extracting(a -> a[0] + " " + a[1])
          .containsExactly(run.victim() + " HANDED_BACK", run.other() + " COMPLETED");
      assertThat(core.output()).contains("worker " + run.victim() + ": BUSY -> DRAINING");
    }
  }

  @Test
  void aSecondSigtermStopsTheWorkerAtOnceAndTheJobStillCompletesOnAnother() throws Exception {
    try (Mosquitto broker = Mosquitto.start(tmp.resolve("mosquitto"));
        Fleet fleet = new Fleet(tmp.resolve("fleet"), broker.port())) {
      LauncherDaemon core = fleet.core();
      Run run = startOnTwoAgents(fleet, core, "  drainDeadline: 10m");
      LauncherDaemon victim = run.agents().get(run.victim());
      victim.process().destroy();
      victim.awaitOutput(": draining", Duration.ofSeconds(20));
      victim.process().destroy();
      assertThat(victim.process().waitFor(20, TimeUnit.SECONDS)).as(victim.output()).isTrue();
      assertThat(victim.process().exitValue()).isEqualTo(143);
      assertThat(victim.output()).contains("second SIGTERM, stopping at once");
      assertThat(attempts(fleet))
          .as(core.output())
          .extracting(a -> a[0] + " " + a[1])
          .containsExactly(run.victim() + " HANDED_BACK", run.other() + " COMPLETED");
    }
  }
}
