package io.proteus.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proteus.testkit.junit5.Mosquitto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to {@code proteus core --data}, a separate process on mosquitto with an agent of its own:
 * the first lets the running task finish within {@code --stop-grace} and leaves the rest in the
 * store; a second stops at once. Started again on the same data, the core finishes the job, no
 * finished test runs again, and the job's reports are written once.
 */
class LauncherCoreDrainTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @BeforeEach
  void needsMosquitto() {
    Mosquitto.assumeInstalled();
  }

  /**
   * Two tests, each appending its name to {@code runs} when it starts; {@code slow} then waits
   * until {@code release} exists (at most {@code maxWait} seconds) the first time it runs.
   */
  private Path build(Path runs, Path release, int maxWait) throws Exception {
    Path build = Files.createDirectories(tmp.resolve(".two"));
    Files.writeString(
        build.resolve("tests.json"),
        """
        {"name": "two", "build": "1", "platforms": ["linux-x64"], "pool": "demo",
         "tests": [{"name": "slow", "binary": "slow.sh"}, {"name": "quick", "binary": "quick.sh"}]}
        """);
    Files.writeString(
        build.resolve("slow.sh"),
        "#!/bin/sh\necho slow >> '"
            + runs
            + "'\ni=0\nwhile [ ! -e '"
            + release
            + "' ] && [ $i -lt "
            + (maxWait * 10)
            + " ]; do sleep 0.1; i=$((i+1)); done\necho done\n");
    Files.writeString(
        build.resolve("quick.sh"), "#!/bin/sh\necho quick >> '" + runs + "'\necho done\n");
    return build;
  }

  private static Map<String, Integer> counts(Path runs) throws Exception {
    Map<String, Integer> out = new HashMap<>();
    for (String line : Files.readAllLines(runs)) {
      out.merge(line.strip(), 1, Integer::sum);
    }
    return out;
  }

  private static JsonNode job(Fleet fleet, LauncherDaemon... daemons) throws Exception {
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> fleet.summaries().size() == 1);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      StringBuilder out = new StringBuilder("the job did not end; the processes printed:");
      for (LauncherDaemon d : daemons) {
        out.append("\n---\n").append(d.output());
      }
      throw new AssertionError(out.toString(), e);
    }
    return JSON.readTree(fleet.summaries().get(0).toFile()).path("jobs").get(0);
  }

  private static String status(JsonNode job, String test) {
    for (JsonNode t : job.path("tasks")) {
      if (t.path("test").asText().equals(test)) {
        return t.path("status").asText() + " " + t.path("attempts").asInt();
      }
    }
    throw new AssertionError("no task " + test + " in " + job);
  }

  @Test
  void sigtermLetsTheRunningTaskFinishKeepsTheQueuedOneAndARestartRunsOnlyThat() throws Exception {
    try (Mosquitto broker = Mosquitto.start(tmp.resolve("mosquitto"));
        Fleet fleet = new Fleet(tmp.resolve("fleet"), broker.port())) {
      Path data = tmp.resolve("core-data");
      Path runs = tmp.resolve("runs.log");
      Path release = tmp.resolve("release");
      LauncherDaemon first = fleet.core("--data", data.toString(), "--stop-grace", "PT60S");
      LauncherDaemon agent = fleet.worker("a1", "linux-x64");
      fleet.drop(build(runs, release, 60), "two");
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> Files.exists(runs) && counts(runs).containsKey("slow"));
      first.process().destroy();
      first.awaitOutput("proteus core: stopping", Duration.ofSeconds(20));
      assertThat(first.process().isAlive()).as(first.output()).isTrue();
      Files.createFile(release);
      assertThat(first.process().waitFor(60, TimeUnit.SECONDS)).as(first.output()).isTrue();
      assertThat(first.process().exitValue()).as(first.output()).isEqualTo(143);
      assertThat(fleet.summaries()).as("the job has a queued task left").isEmpty();
      assertThat(counts(runs)).as(first.output()).isEqualTo(Map.of("slow", 1));

      LauncherDaemon second = fleet.core("--data", data.toString());
      JsonNode job = job(fleet, first, second, agent);
      String outputs = first.output() + "\n---\n" + second.output() + "\n---\n" + agent.output();
      assertThat(status(job, "slow")).as(outputs).isEqualTo("PASSED 1");
      assertThat(status(job, "quick")).as(outputs).isEqualTo("PASSED 1");
      assertThat(counts(runs)).as(outputs).isEqualTo(Map.of("slow", 1, "quick", 1));
      assertThat(second.output()).as(outputs).contains("resumed 1 jobs from the store");
      await()
          .pollDelay(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(5))
          .until(() -> fleet.summaries().size() == 1);
    }
  }

  @Test
  void aSecondSigtermStopsAtOnceAndARestartFinishesTheJob() throws Exception {
    try (Mosquitto broker = Mosquitto.start(tmp.resolve("mosquitto"));
        Fleet fleet = new Fleet(tmp.resolve("fleet"), broker.port())) {
      Path data = tmp.resolve("core-data");
      Path runs = tmp.resolve("runs.log");
      Path release = tmp.resolve("release");
      LauncherDaemon first = fleet.core("--data", data.toString(), "--stop-grace", "PT10M");
      LauncherDaemon agent = fleet.worker("a1", "linux-x64");
      fleet.drop(build(runs, release, 600), "two");
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> Files.exists(runs) && counts(runs).containsKey("slow"));
      first.process().destroy();
      first.awaitOutput("proteus core: stopping", Duration.ofSeconds(20));
      first.process().destroy();
      assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).as(first.output()).isTrue();
      assertThat(first.process().exitValue()).as(first.output()).isEqualTo(143);
      assertThat(first.output()).contains("proteus core: second SIGTERM, stopping at once");
      assertThat(fleet.summaries()).isEmpty();
      Files.createFile(release);

      LauncherDaemon second = fleet.core("--data", data.toString());
      JsonNode job = job(fleet, first, second, agent);
      String outputs = first.output() + "\n---\n" + second.output() + "\n---\n" + agent.output();
      assertThat(List.of(status(job, "slow"), status(job, "quick")))
          .as(outputs)
          .allSatisfy(s -> assertThat(s).startsWith("PASSED"));
      assertThat(counts(runs).get("quick")).as(outputs).isEqualTo(1);
      assertThat(fleet.summaries()).hasSize(1);
    }
  }
}
