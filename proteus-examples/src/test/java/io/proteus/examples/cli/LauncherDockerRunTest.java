package io.proteus.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proteus.core.report.JunitFlavour;
import io.proteus.docker.DockerEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code proteus run --engine docker}: a user's own build in hardened containers. */
class LauncherDockerRunTest extends CapturedStreams {
  @TempDir Path tmp;

  private String output() {
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  private static void needDocker() {
    if (!DockerEngine.available()) {
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail("CI=true, so the Docker run must run, but no Docker daemon answers");
      }
      Assumptions.abort("skipped: no Docker daemon answers (start dockerd to run this test)");
    }
  }

  private Path build() throws Exception {
    Path b = Files.createDirectories(tmp.resolve("build"));
    Files.writeString(
        b.resolve("tests.json"),
        """
        {"name": "mine", "platforms": ["linux"], "tests": [
          {"name": "in-a-container", "binary": "inside.sh"},
          {"name": "fails", "binary": "fails.sh"},
          {"name": "other-image", "binary": "inside.sh",
           "container": {"image": "somewhere.example/not-allowed:1"}}
        ]}
        """);
    Files.writeString(b.resolve("inside.sh"), "#!/bin/sh\ntest -e /.dockerenv\n");
    Files.writeString(b.resolve("fails.sh"), "#!/bin/sh\nexit 3\n");
    return b;
  }

  @Test
  void aBuildRunsInContainersUnderThePolicyGiven() throws Exception {
    needDocker();
    Path reports = tmp.resolve("reports");
    int code =
        ProteusMain.execute(
            "run",
            build().toString(),
            "--engine",
            "docker",
            "--image",
            "proteus-test/busybox:1",
            "--memory",
            "64m",
            "--workers",
            "1",
            "--out",
            reports.toString());
    assertThat(code).as(output()).isEqualTo(1);
    JsonNode summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
    Map<String, JsonNode> tasks = new TreeMap<>();
    for (JsonNode t : summary.path("jobs").get(0).path("tasks")) {
      tasks.put(t.path("test").asText(), t);
    }
    assertThat(tasks.get("in-a-container").path("status").asText()).isEqualTo("PASSED");
    assertThat(tasks.get("fails").path("status").asText()).isEqualTo("FAILED");
    assertThat(tasks.get("fails").path("exitCode").asInt()).isEqualTo(3);
    JsonNode refused = tasks.get("other-image");
    assertThat(refused.path("status").asText()).isEqualTo("ERROR");
    assertThat(refused.path("attempts").asInt()).as("a policy refusal is not retried").isEqualTo(1);
    assertThat(refused.path("reason").asText()).contains("not-allowed");
    assertThat(ReportRules.allValid(reports, JunitFlavour.SUREFIRE)).isEqualTo(1);
    assertThat(reports.resolve("report.html")).exists();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no image               | --engine docker                                  | --engine docker needs --image",
        "policy without docker  | --image proteus-test/busybox:1                   | need --engine docker",
        "a size that is not one | --engine docker --image i:1 --memory lots        | --memory is a size",
        "memory over its max    | --engine docker --image i:1 --memory 2g          | more than --max-memory",
        "a pattern that is none | --engine docker --image i:1 --allow-image ::      | image pattern",
        "env for containers     | --engine docker --image i:1 --pass-env HOME      | --pass-env is for --engine process",
        "an unknown engine      | --engine vm                                      | --engine is process or docker",
      })
  void badDockerOptionsAreBadInputNamingTheOption(String what, String options, String says)
      throws Exception {
    String[] args =
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of("run", build().toString()),
                java.util.Arrays.stream(options.trim().split("\\s+")))
            .toArray(String[]::new);
    assertThat(ProteusMain.execute(args)).as(what + ": " + output()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(says);
  }
}
