package io.proteus.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proteus.core.report.JunitFlavour;
import io.proteus.testkit.junit5.Mosquitto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * proteus core and proteus worker as separate processes on a real mosquitto: builds dropped in the
 * inbox run on the agents, an agent killed outright has its task retried elsewhere, a wrong
 * password stops a worker at once.
 */
class DistributedLauncherTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @BeforeEach
  void needsMosquitto() {
    Mosquitto.assumeInstalled();
  }

  @Test
  void aCoreAndThreeAgentsInTheirOwnProcessesRunADroppedBuildAndWriteItsReports() throws Exception {
    try (Mosquitto broker = Mosquitto.start(tmp.resolve("mosquitto"));
        Fleet fleet = new Fleet(tmp.resolve("fleet"), broker.port())) {
      LauncherDaemon core = fleet.core();
      List<LauncherDaemon> agents =
          List.of(
              fleet.worker("x64-1", "linux-x64"),
              fleet.worker("x64-2", "linux-x64"),
              fleet.worker("arm64-1", "linux-arm64"));
      fleet.drop(DemoCommand.unpackSample(tmp.resolve(".sample")), "sample");
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> fleet.summaries().size() == 2);
      Map<String, String> statuses = new java.util.TreeMap<>();
      for (Path summary : fleet.summaries()) {
        for (JsonNode job : JSON.readTree(summary.toFile()).path("jobs")) {
          for (JsonNode t : job.path("tasks")) {
            statuses.put(
                t.path("platform").asText() + "/" + t.path("test").asText(),
                t.path("status").asText());
          }
        }
      }
      assertThat(statuses)
          .as(core.output())
          .containsEntry("linux-x64/math", "PASSED")
          .containsEntry("linux-arm64/strings", "PASSED")
          .containsEntry("linux-x64/known-bug", "FAILED")
          .containsEntry("linux-arm64/hangs", "ERROR")
          .containsEntry("linux-x64/binary-only", "PASSED");
      assertThat(ReportRules.allValid(fleet.outbox(), JunitFlavour.SUREFIRE)).isEqualTo(2);
      assertThat(core.output()).contains("on x64-1", "on x64-2", "on arm64-1");
      for (LauncherDaemon agent : agents) {
        assertThat(agent.terminate(Duration.ofSeconds(20))).isZero();
        assertThat(agent.output()).contains(": stopped");
      }
      assertThat(core.terminate(Duration.ofSeconds(30))).isEqualTo(143);
      assertThat(core.output()).contains("proteus core: stopped");
    }
  }

  @Test
  void aCoreKilledDuringATaskAndStartedAgainOnItsDataTakesTheAgentsResultOnce() throws Exception {
    try (Mosquitto broker = Mosquitto.start(tmp.resolve("mosquitto"));
        Fleet fleet = new Fleet(tmp.resolve("fleet"), broker.port())) {
      Path data = tmp.resolve("core-data");
      LauncherDaemon first = fleet.core("--data", data.toString());
      LauncherDaemon agent = fleet.worker("a1", "linux-x64");
      Path build = Files.createDirectories(tmp.resolve(".slow"));
      Files.writeString(
          build.resolve("tests.json"),
          """
          {"name": "slow", "build": "1", "platforms": ["linux-x64"], "pool": "demo",
           "tests": [{"name": "slow", "binary": "slow.sh"}]}
          """);
      Files.writeString(build.resolve("slow.sh"), "#!/bin/sh\nsleep 4\necho done\n");
      fleet.drop(build, "slow");
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> first.output().contains("attempt 1 on a1"));
      first.process().destroyForcibly().waitFor();
      LauncherDaemon second = fleet.core("--data", data.toString());
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> fleet.summaries().size() == 1);
      JsonNode task =
          JSON.readTree(fleet.summaries().get(0).toFile()).path("jobs").get(0).path("tasks").get(0);
      assertThat(task.path("status").asText()).as(second.output()).isEqualTo("PASSED");
      String outputs = first.output() + "\n---\n" + second.output() + "\n---\n" + agent.output();
      assertThat(task.path("attempts").asInt()).as(outputs).isBetween(1, 2);
      assertThat(second.output()).as(outputs).contains("resumed 1 jobs from the store");
      assertThat(fleet.summaries()).hasSize(1);
      String xml =
          Files.readString(ReportRules.junitFiles(fleet.outbox()).get(0), StandardCharsets.UTF_8);
      assertThat(xml).as(outputs).doesNotContain("WORKER_LOST");
    }
  }

  @Test
  void anAgentKilledDuringATaskHasItRetriedOnAnotherAndTheJobCompletes() throws Exception {
    try (Mosquitto broker = Mosquitto.start(tmp.resolve("mosquitto"));
        Fleet fleet = new Fleet(tmp.resolve("fleet"), broker.port())) {
      LauncherDaemon core = fleet.core();
      Map<String, LauncherDaemon> agents =
          Map.of("a1", fleet.worker("a1", "linux-x64"), "a2", fleet.worker("a2", "linux-x64"));
      Path build = Files.createDirectories(tmp.resolve(".slow"));
      Files.writeString(
          build.resolve("tests.json"),
          """
          {"name": "slow", "build": "1", "platforms": ["linux-x64"], "pool": "demo",
           "tests": [{"name": "slow", "binary": "slow.sh"}]}
          """);
      Files.writeString(build.resolve("slow.sh"), "#!/bin/sh\nsleep 3\necho done\n");
      fleet.drop(build, "slow");
      Pattern running = Pattern.compile("run +linux-x64 +slow +attempt 1 on (a[12])");
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> running.matcher(core.output()).find());
      Matcher m = running.matcher(core.output());
      assertThat(m.find()).isTrue();
      String victim = m.group(1);
      String other = victim.equals("a1") ? "a2" : "a1";
      agents.get(victim).process().destroyForcibly().waitFor();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> fleet.summaries().size() == 1);
      JsonNode task =
          JSON.readTree(fleet.summaries().get(0).toFile()).path("jobs").get(0).path("tasks").get(0);
      assertThat(task.path("status").asText()).as(core.output()).isEqualTo("PASSED");
      assertThat(core.output())
          .contains("worker " + victim + " lost")
          .containsPattern("run +linux-x64 +slow +attempt 2 on " + other);
      String xml =
          Files.readString(ReportRules.junitFiles(fleet.outbox()).get(0), StandardCharsets.UTF_8);
      assertThat(xml).contains("WORKER_LOST");
    }
  }

  @Test
  void aWrongBrokerPasswordStopsTheWorkerAtOnceWithoutRetrying() throws Exception {
    Path passwords = tmp.resolve("passwd");
    Process p =
        new ProcessBuilder(
                "mosquitto_passwd", "-b", "-c", passwords.toString(), "proteus", "right-one")
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor()).isZero();
    try (Mosquitto broker =
        Mosquitto.start(
            tmp.resolve("mosquitto"),
            List.of("allow_anonymous false", "password_file " + passwords))) {
      Path conf =
          Files.writeString(
              tmp.resolve("worker.yaml"),
              String.join(
                  "\n",
                  "mqtt.port: " + broker.port(),
                  "mqtt.username: proteus",
                  "mqtt.passwordFile: " + Files.writeString(tmp.resolve("pw"), "wrong-one\n"),
                  "worker.id: w1",
                  ""));
      long t0 = System.nanoTime();
      LauncherProcess run =
          LauncherProcess.run(
              tmp.resolve("t"), Map.of(), 60, "worker", "--config", conf.toString());
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(1);
      assertThat(run.stderr())
          .contains("refused by the broker", "check the user name and password")
          .doesNotContain("wrong-one");
      assertThat(took).isLessThan(Duration.ofSeconds(20));
      String log = Files.readString(broker.dir().resolve("mosquitto.log"));
      long refusals = log.lines().filter(l -> l.contains("not authori")).count();
      assertThat(refusals).as(log).isBetween(1L, 2L);
    }
  }
}
