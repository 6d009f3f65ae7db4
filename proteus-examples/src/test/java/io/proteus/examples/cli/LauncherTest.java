package io.proteus.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proteus.core.report.JunitFlavour;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest extends CapturedStreams {
  @TempDir Path tmp;

  @Test
  void theDemoRunsToTheEndWithRetriesTimeoutsAndExpectedFailures() throws Exception {
    Path reports = tmp.resolve("reports");
    int code = ProteusMain.execute("demo", "--out", reports.toString());
    assertThat(code).as(stdout() + err).isZero();
    assertThat(stdout())
        .contains("sample on linux-x64: COMPLETED", "sample on linux-arm64: COMPLETED")
        .contains("FAILED (expected)", "ERROR (expected)")
        .contains("simulated crash")
        .contains("retry")
        .contains("Demo completed: every failure above was expected");
    JsonNode summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
    Map<String, String> statuses = new TreeMap<>();
    for (JsonNode job : summary.path("jobs")) {
      for (JsonNode t : job.path("tasks")) {
        statuses.put(
            t.path("platform").asText() + "/" + t.path("test").asText(), t.path("status").asText());
      }
    }
    assertThat(statuses)
        .containsEntry("linux-x64/math", "PASSED")
        .containsEntry("linux-arm64/strings", "PASSED")
        .containsEntry("linux-x64/known-bug", "FAILED")
        .containsEntry("linux-arm64/missing-report", "FAILED")
        .containsEntry("linux-x64/hangs", "ERROR")
        .containsEntry("linux-arm64/binary-only", "PASSED");
    assertThat(summary.path("totals").path("error").asInt()).isEqualTo(2);
    assertThat(Files.list(reports).map(p -> p.getFileName().toString()))
        .contains("sample-linux-x64.junit.xml", "sample-linux-arm64.junit.xml", "report.html");
    assertThat(ReportRules.allValid(reports, JunitFlavour.SUREFIRE)).isEqualTo(2);
    String x64 = Files.readString(reports.resolve("sample-linux-x64.junit.xml"));
    assertThat(x64)
        .contains("<testsuite name=\"sample on linux-x64\"")
        .contains("classname=\"math\"")
        .contains("<skipped message=\"expected but never reported\">");
    // the worker that dies once: its attempt shows as a flaky error of a passing test
    String both = x64 + Files.readString(reports.resolve("sample-linux-arm64.junit.xml"));
    assertThat(both).contains("<flakyError message=").contains("type=\"WORKER_LOST\"");
    assertThat(both).contains("type=\"TIMEOUT\"").contains("<system-out>");
    assertThat(summary.path("totals").path("flaky").asInt()).isPositive();
  }

  @Test
  void theDemoRunsInContainersWithTheDockerEngine() throws Exception {
    if (!io.proteus.docker.DockerEngine.available()) {
      if ("true".equals(System.getenv("CI"))) {
        org.junit.jupiter.api.Assertions.fail(
            "CI=true, so the Docker demo must run, but no Docker daemon answers");
      }
      org.junit.jupiter.api.Assumptions.abort(
          "skipped: no Docker daemon answers (start dockerd to run the Docker demo)");
    }
    Path reports = tmp.resolve("docker-reports");
    assertThat(ProteusMain.execute("demo", "--engine", "docker", "--out", reports.toString()))
        .as(stdout() + err)
        .isZero();
    assertThat(stdout())
        .contains("Proteus demo (docker engine)")
        .contains("Demo completed: every failure above was expected");
    JsonNode summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
    Map<String, String> statuses = new TreeMap<>();
    for (JsonNode job : summary.path("jobs")) {
      for (JsonNode t : job.path("tasks")) {
        statuses.put(
            t.path("platform").asText() + "/" + t.path("test").asText(), t.path("status").asText());
      }
    }
    assertThat(statuses)
        .containsEntry("linux-x64/sandboxed", "PASSED")
        .containsEntry("linux-arm64/strings", "PASSED")
        .containsEntry("linux-x64/known-bug", "FAILED")
        .containsEntry("linux-arm64/hangs", "ERROR");
    assertThat(ReportRules.allValid(reports, JunitFlavour.SUREFIRE)).isEqualTo(2);
  }

  @Test
  void theDemoWritesJenkinsJunit4WhenAsked() throws Exception {
    Path reports = tmp.resolve("junit4-reports");
    assertThat(
            ProteusMain.execute("demo", "--out", reports.toString(), "--junit-flavour", "junit4"))
        .as(stdout() + err)
        .isZero();
    assertThat(ReportRules.allValid(reports, JunitFlavour.JUNIT4)).isEqualTo(2);
    String x64 = Files.readString(reports.resolve("sample-linux-x64.junit.xml"));
    assertThat(x64)
        .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites ")
        .contains("<testsuite name=\"math\"")
        .contains("<skipped>expected but never reported</skipped>")
        .contains("<error message=")
        .doesNotContain("flakyError", "platform=");
  }

  @Test
  void anUnknownEngineIsBadInput() {
    assertThat(ProteusMain.execute("demo", "--engine", "vm")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--engine is process or docker");
  }

  Path build(String tests) throws Exception {
    Path b = Files.createDirectories(tmp.resolve("b" + System.nanoTime()));
    Files.writeString(b.resolve("tests.json"), tests);
    Files.writeString(b.resolve("ok.sh"), "#!/bin/sh\nexit 0\n");
    Files.writeString(b.resolve("bad.sh"), "#!/bin/sh\nexit 1\n");
    return b;
  }

  @Test
  void runExitsZeroWhenEverythingPasses() throws Exception {
    Path b =
        build(
            "{\"name\":\"p\",\"platforms\":[\"linux\"],\"tests\":[{\"name\":\"ok\",\"binary\":\"ok.sh\"}]}");
    assertThat(
            ProteusMain.execute(
                "run", b.toString(), "--out", tmp.resolve("o1").toString(), "--workers", "1"))
        .isZero();
    assertThat(tmp.resolve("o1/summary.json")).exists();
    assertThat(ReportRules.allValid(tmp.resolve("o1"), JunitFlavour.SUREFIRE)).isEqualTo(1);
  }

  @Test
  void runWritesJenkinsJunit4WhenAskedWithTheWorkerAndTheStart() throws Exception {
    Path b =
        build(
            "{\"name\":\"p\",\"platforms\":[\"linux\"],\"tests\":[{\"name\":\"ok\",\"binary\":\"ok.sh\"},{\"name\":\"bad\",\"binary\":\"bad.sh\"}]}");
    Path o = tmp.resolve("o4");
    assertThat(
            ProteusMain.execute(
                "run", b.toString(), "--out", o.toString(), "--junit-flavour", "junit4"))
        .isEqualTo(1);
    assertThat(ReportRules.allValid(o, JunitFlavour.JUNIT4)).isEqualTo(1);
    assertThat(Files.readString(o.resolve("p-linux.junit.xml")))
        .contains("<testsuites name=\"p on linux\"")
        .containsPattern(
            "<testsuite name=\"bad\"[^>]* timestamp=\"[0-9T:-]{19}\" hostname=\"local-linux-[12]\"")
        .contains("<failure message=\"exit code 1\" type=\"CASE_FAILED\">");
  }

  @Test
  void anUnknownJunitFlavourIsBadInput() throws Exception {
    Path b = build("{\"name\":\"p\",\"platforms\":[\"linux\"],\"tests\":[]}");
    assertThat(ProteusMain.execute("run", b.toString(), "--junit-flavour", "xunit")).isEqualTo(2);
    assertThat(ProteusMain.execute("demo", "--junit-flavour", "xunit")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--junit-flavour is surefire or junit4, not xunit");
  }

  @Test
  void reportsThatCannotBeWrittenExitTwoBeforeTheRunOrAfterItWithTheResultsShown()
      throws Exception {
    Path b =
        build(
            "{\"name\":\"p\",\"platforms\":[\"linux\"],\"tests\":[{\"name\":\"ok\",\"binary\":\"ok.sh\"}]}");
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    assertThat(ProteusMain.execute("run", b.toString(), "--out", file.resolve("o").toString()))
        .isEqualTo(2);
    assertThat(ProteusMain.execute("demo", "--out", file.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("proteus run: cannot write the reports under")
        .contains("proteus demo: cannot write the reports under")
        .contains("is not a folder");
    assertThat(stdout()).doesNotContain("Reports written");

    Path o = tmp.resolve("o5");
    Files.createDirectories(o.resolve("summary.json/in-the-way"));
    assertThat(ProteusMain.execute("run", b.toString(), "--out", o.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("the run ended (results above) but its reports could not be written")
        .contains("summary.json");
    assertThat(stdout()).contains("PASSED");
    assertThat(ReportRules.allValid(o, JunitFlavour.SUREFIRE)).isEqualTo(1);
  }

  @Test
  void runExitsOneWhenATestFails() throws Exception {
    Path b =
        build(
            "{\"name\":\"p\",\"platforms\":[\"linux\"],\"tests\":[{\"name\":\"ok\",\"binary\":\"ok.sh\"},{\"name\":\"bad\",\"binary\":\"bad.sh\"}]}");
    assertThat(ProteusMain.execute("run", b.toString(), "--out", tmp.resolve("o2").toString()))
        .isEqualTo(1);
  }

  @Test
  void runExitsTwoOnBadInputWithTheErrorOnStderr() throws Exception {
    Path b = build("{\"name\":\"p\",\"platforms\":\"linux\",\"tests\":[]}");
    assertThat(ProteusMain.execute("run", b.toString(), "--out", tmp.resolve("o3").toString()))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("tests.json:1:")
        .contains("platforms");
    assertThat(ProteusMain.execute("run", tmp.resolve("missing").toString())).isEqualTo(2);
    Path notArchive = Files.writeString(tmp.resolve("junk.zip"), "junk");
    assertThat(ProteusMain.execute("run", notArchive.toString())).isEqualTo(2);
  }

  @Test
  void everyCommandHasHelp() {
    assertThat(ProteusMain.execute("run", "--help")).isZero();
    assertThat(ProteusMain.execute("demo", "--help")).isZero();
    assertThat(stdout())
        .contains("Usage: proteus run")
        .contains("Usage: proteus demo")
        .contains("--workers")
        .contains("--junit-flavour")
        .contains("junit4");
  }
}
