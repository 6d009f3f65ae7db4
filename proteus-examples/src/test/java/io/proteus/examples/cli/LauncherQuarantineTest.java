package io.proteus.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.proteus.testkit.junit5.Mosquitto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proteus workers quarantine|release} against a {@code proteus core} in its own process: the
 * quarantined agent gets no work until it is released.
 */
class LauncherQuarantineTest extends CapturedStreams {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @BeforeEach
  void needsMosquitto() {
    Mosquitto.assumeInstalled();
  }

  @Test
  void anOperatorQuarantinesAndReleasesAnAgentThroughTheLauncher() throws Exception {
    try (Mosquitto broker = Mosquitto.start(tmp.resolve("mosquitto"));
        Fleet fleet = new Fleet(tmp.resolve("fleet"), broker.port())) {
      LauncherDaemon core = fleet.core();
      fleet.worker("a1", "linux-x64");
      String conf = tmp.resolve("fleet").resolve("core.yaml").toString();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() ->
              ProteusMain.execute(
                      "workers", "quarantine", "--config", conf, "--reason", "disk check", "a1")
                  == 0);
      assertThat(stdout()).contains("worker a1 quarantined: disk check");
      assertThat(core.output()).contains("worker a1: quarantined by OPERATOR: disk check");
      assertThat(ProteusMain.execute("workers", "quarantine", "--config", conf, "a1")).isEqualTo(1);

      Path build = Files.createDirectories(tmp.resolve(".quick"));
      Files.writeString(
          build.resolve("tests.json"),
          """
          {"name": "quick", "build": "1", "platforms": ["linux-x64"], "pool": "demo",
           "tests": [{"name": "quick", "binary": "quick.sh"}]}
          """);
      Files.writeString(build.resolve("quick.sh"), "#!/bin/sh\necho done\n");
      fleet.drop(build, "quick");
      await().atMost(Duration.ofSeconds(20)).until(() -> core.output().contains("tasks queued"));
      assertThat(fleet.summaries()).isEmpty();
      assertThat(core.output()).doesNotContain("run   linux-x64");

      assertThat(ProteusMain.execute("workers", "release", "--config", conf, "a1")).isZero();
      assertThat(stdout()).contains("worker a1 released");
      assertThat(core.output()).contains("worker a1: released by OPERATOR");
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> fleet.summaries().size() == 1);
      assertThat(
              JSON.readTree(fleet.summaries().get(0).toFile())
                  .path("jobs")
                  .get(0)
                  .path("tasks")
                  .get(0)
                  .path("status")
                  .asText())
          .isEqualTo("PASSED");
      assertThat(ProteusMain.execute("workers", "release", "--config", conf, "a1")).isEqualTo(1);
      assertThat(stdout()).contains("worker a1 is not quarantined");
      assertThat(ProteusMain.execute("workers", "release", "--config", conf, "nobody"))
          .isEqualTo(1);
      assertThat(stdout()).contains("no worker with id 'nobody'");
    }
  }
}
