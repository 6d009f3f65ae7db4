package io.proteus.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds with ordinary mistakes and hostile scenarios, run through the launcher as a separate
 * process: every run ends, a result that ran is never rerun, the host's secrets stay out, no
 * process outlives its task, and the run leaves nothing in the temp folder.
 */
class LauncherFaultsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  Path launcherTmp;

  @BeforeEach
  void setUp() throws IOException {
    launcherTmp = Files.createDirectories(tmp.resolve("launcher-tmp"));
  }

  @AfterEach
  void everyJunitFileIsValid() throws IOException {
    ReportRules.allValid(tmp.resolve("out"), io.proteus.core.report.JunitFlavour.SUREFIRE);
  }

  @AfterEach
  void nothingLeftInTheTempFolder() throws IOException {
    try (Stream<Path> left = Files.list(launcherTmp)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("proteus-run") || n.startsWith("proteus-storage"));
    }
  }

  Path build(String tests, Map<String, String> scripts) throws IOException {
    Path b = Files.createDirectories(tmp.resolve("build"));
    Files.writeString(b.resolve("tests.json"), tests);
    for (var e : scripts.entrySet()) {
      Path f = b.resolve(e.getKey());
      Files.writeString(f, e.getValue());
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return b;
  }

  static String plan(String tests) {
    return "{\"name\":\"p\",\"platforms\":[\"linux\"],\"tests\":[" + tests + "]}";
  }

  LauncherProcess run(Path build, Map<String, String> env) throws Exception {
    return LauncherProcess.run(
        launcherTmp,
        env,
        180,
        "run",
        build.toString(),
        "--out",
        tmp.resolve("out").toString(),
        "--workers",
        "2");
  }

  JsonNode summary() throws IOException {
    return JSON.readTree(tmp.resolve("out/summary.json").toFile());
  }

  static List<JsonNode> tasks(JsonNode summary) {
    List<JsonNode> out = new ArrayList<>();
    summary.path("jobs").forEach(j -> j.path("tasks").forEach(out::add));
    return out;
  }

  static JsonNode task(JsonNode summary, String name) {
    return tasks(summary).stream()
        .filter(t -> t.path("test").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no task " + name + " in " + summary));
  }

  @Test
  void fourBrokenInterpretersAndOneGoodTestEndWithTheGoodTestPassed() throws Exception {
    StringBuilder tests = new StringBuilder();
    for (int i = 1; i <= 4; i++) {
      tests
          .append("{\"name\":\"bad")
          .append(i)
          .append("\",\"binary\":\"bad")
          .append(i)
          .append(".sh\"},");
    }
    tests.append("{\"name\":\"good\",\"binary\":\"good.sh\"}");
    Path b =
        build(
            plan(tests.toString()),
            Map.of(
                "bad1.sh", "#!/no/such/interpreter\n",
                "bad2.sh", "#!/no/such/interpreter\n",
                "bad3.sh", "#!/no/such/interpreter\n",
                "bad4.sh", "#!/no/such/interpreter\n",
                "good.sh", "#!/bin/sh\nexit 0\n"));
    LauncherProcess p = run(b, Map.of());
    assertThat(p.exitCode()).as(p.stderr()).isEqualTo(1);
    JsonNode s = summary();
    assertThat(task(s, "good").path("status").asText()).isEqualTo("PASSED");
    for (int i = 1; i <= 4; i++) {
      JsonNode bad = task(s, "bad" + i);
      assertThat(bad.path("status").asText()).isEqualTo("ERROR");
      assertThat(bad.path("reason").asText()).isNotBlank();
    }
  }

  @Test
  void aBinaryTheBuildLacksExitsTwoNamingTheFileBeforeAnythingRuns() throws Exception {
    Path b =
        build(
            plan(
                "{\"name\":\"good\",\"binary\":\"good.sh\"},"
                    + "{\"name\":\"gone\",\"binary\":\"bin/gone.sh\"}"),
            Map.of("good.sh", "#!/bin/sh\nexit 0\n"));
    LauncherProcess p = run(b, Map.of());
    assertThat(p.exitCode()).as(p.stderr() + p.stdout()).isEqualTo(2);
    assertThat(p.stderr())
        .contains("tests.json:1:")
        .contains("tests[1].binary")
        .contains("the build has no file 'bin/gone.sh'");
    assertThat(tmp.resolve("out/summary.json")).doesNotExist();
  }

  @Test
  void aBinaryThatLeavesTheBuildExitsTwoWithItsLocation() throws Exception {
    for (String[] c :
        new String[][] {
          {"../good.sh", "must stay inside the build (no '..'): '../good.sh'"},
          {"/bin/true", "must be a path relative to the build's root: '/bin/true'"}
        }) {
      Path b =
          build(
              plan("{\"name\":\"out\",\"binary\":\"" + c[0] + "\"}"),
              Map.of("good.sh", "#!/bin/sh\nexit 0\n"));
      LauncherProcess p = run(b, Map.of());
      assertThat(p.exitCode()).as(c[0] + ": " + p.stderr() + p.stdout()).isEqualTo(2);
      assertThat(p.stderr())
          .as(c[0])
          .contains("tests.json:1:")
          .contains("tests[0].binary: " + c[1]);
      assertThat(tmp.resolve("out/summary.json")).doesNotExist();
    }
  }

  @Test
  void aResultFileThatIsNotUtf8IsOneFailedCaseAndTheTestRunsOnce() throws Exception {
    Path b =
        build(
            plan("{\"name\":\"latin1\",\"binary\":\"latin1.sh\"}"),
            Map.of(
                "latin1.sh",
                "#!/bin/sh\nprintf '{\"name\":\"caf\\351\",\"status\":\"passed\"}\\n'"
                    + " > \"$PROTEUS_RESULTS/cases.jsonl\"\n"));
    LauncherProcess p = run(b, Map.of());
    assertThat(p.exitCode()).as(p.stderr()).isEqualTo(1);
    JsonNode t = task(summary(), "latin1");
    assertThat(t.path("status").asText()).isEqualTo("FAILED");
    assertThat(t.path("attempts").asInt()).isEqualTo(1);
    assertThat(t.path("cases").toString()).contains("cases.jsonl");
  }

  @Test
  void theHostsSecretsNeverReachTheScenarioOrTheReports() throws Exception {
    Path b =
        build(
            plan("{\"name\":\"env\",\"binary\":\"env.sh\"}"),
            Map.of(
                "env.sh",
                "#!/bin/sh\nenv\n"
                    + "echo \"{\\\"name\\\":\\\"env\\\",\\\"status\\\":\\\"passed\\\","
                    + "\\\"message\\\":\\\"$(env | tr -d '\\\"\\\\\\\\' | tr '\\n' ' ')\\\"}\""
                    + " > \"$PROTEUS_RESULTS/env.jsonl\"\n"));
    LauncherProcess p = run(b, Map.of("AWS_SECRET_ACCESS_KEY", "hunter2-secret-value"));
    assertThat(p.exitCode()).as(p.stderr() + p.stdout()).isZero();
    String summary = Files.readString(tmp.resolve("out/summary.json"), StandardCharsets.UTF_8);
    assertThat(summary).contains("PROTEUS_TEST_NAME=env").doesNotContain("hunter2-secret-value");
    try (Stream<Path> files = Files.walk(tmp.resolve("out"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f, StandardCharsets.UTF_8))
            .as("%s", f)
            .doesNotContain("hunter2-secret-value");
      }
    }
    assertThat(p.stdout()).doesNotContain("hunter2-secret-value");
  }

  @Test
  void aVariableNamedWithPassEnvReachesTheScenario() throws Exception {
    Path b =
        build(
            plan("{\"name\":\"passed\",\"binary\":\"passed.sh\"}"),
            Map.of(
                "passed.sh",
                "#!/bin/sh\n[ \"$SHARED_TOKEN\" = visible ] && [ -z \"$OTHER_TOKEN\" ]\n"));
    LauncherProcess p =
        LauncherProcess.run(
            launcherTmp,
            Map.of("SHARED_TOKEN", "visible", "OTHER_TOKEN", "hidden"),
            120,
            "run",
            b.toString(),
            "--out",
            tmp.resolve("out").toString(),
            "--pass-env",
            "SHARED_*");
    assertThat(p.exitCode()).as(p.stderr() + p.stdout()).isZero();
  }

  @Test
  void theRunDeadlineCancelsWhatIsLeftAndKeepsTheKilledAttemptsLog() throws Exception {
    Path b =
        build(
            plan("{\"name\":\"slow\",\"binary\":\"slow.sh\",\"timeout\":\"10m\"}"),
            Map.of("slow.sh", "#!/bin/sh\necho started-slowly\nsleep 600\n"));
    LauncherProcess p =
        LauncherProcess.run(
            launcherTmp,
            Map.of(),
            120,
            "run",
            b.toString(),
            "--out",
            tmp.resolve("out").toString(),
            "--deadline",
            "PT3S");
    assertThat(p.exitCode()).as(p.stderr() + p.stdout()).isEqualTo(1);
    assertThat(p.stdout()).contains("deadline");
    JsonNode t = task(summary(), "slow");
    assertThat(t.path("status").asText()).isEqualTo("CANCELLED");
    assertThat(t.path("attemptLogs")).hasSize(1);
    JsonNode a = t.path("attemptLogs").get(0);
    assertThat(a.path("end").asText()).isEqualTo("CANCELLED");
    assertThat(tmp.resolve("out").resolve(a.path("log").asText()))
        .content()
        .contains("started-slowly");
  }

  @Test
  void daemonsAScenarioLeavesBehindDieWithItsAttemptAndEveryAttemptKeepsItsLog() throws Exception {
    String marker = Long.toString(70_000 + ProcessHandle.current().pid() % 9_000);
    Path b =
        build(
            plan("{\"name\":\"daemon\",\"binary\":\"daemon.sh\",\"timeout\":\"2s\"}"),
            Map.of(
                "daemon.sh",
                "#!/bin/sh\necho starting\nsetsid sleep "
                    + marker
                    + " &\n(sleep "
                    + marker
                    + " &) &\nsleep "
                    + marker
                    + "\n"));
    LauncherProcess p = run(b, Map.of());
    assertThat(p.exitCode()).as(p.stderr()).isEqualTo(1);
    JsonNode t = task(summary(), "daemon");
    assertThat(t.path("status").asText()).isEqualTo("ERROR");
    assertThat(t.path("attemptLogs")).hasSize(3);
    for (JsonNode a : t.path("attemptLogs")) {
      assertThat(a.path("end").asText()).isEqualTo("TIMEOUT");
      assertThat(tmp.resolve("out").resolve(a.path("log").asText())).content().contains("starting");
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() ->
            assertThat(ProcessHandle.allProcesses())
                .noneMatch(h -> h.info().commandLine().orElse("").contains("sleep " + marker)));
  }
}
