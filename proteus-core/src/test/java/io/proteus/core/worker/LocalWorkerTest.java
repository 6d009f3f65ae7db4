package io.proteus.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.core.process.ProcessPlatform;
import io.proteus.model.CaseStatus;
import io.proteus.model.JobId;
import io.proteus.model.TaskId;
import io.proteus.model.TestCaseResult;
import io.proteus.model.TestSpec;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.WorkerContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalWorkerTest {
  @TempDir Path tmp;
  Path build;
  LocalWorker worker;
  final RecordingEvents events = new RecordingEvents();

  @BeforeEach
  void setUp() throws IOException {
    build = Files.createDirectories(tmp.resolve("build"));
    Files.writeString(build.resolve("tool.sh"), "#!/bin/sh\necho tool \"$@\"\n");
    worker = start(LocalWorker.builder("w1", new ProcessPlatform("linux", tmp.resolve("caches"))));
  }

  LocalWorker start(LocalWorker.Builder b) {
    LocalWorker w = b.workRoot(tmp.resolve("work")).build();
    w.start(new WorkerContext(events, Clock.systemUTC()));
    return w;
  }

  @AfterEach
  void stopWorker() {
    worker.stop();
  }

  DispatchRequest request(long token, TestSpec test, Duration timeout) {
    return new DispatchRequest(
        new TaskId(new JobId("j"), 0),
        1,
        token,
        test,
        "linux",
        BuildFiles.ofFolder(build),
        timeout);
  }

  TestSpec scenario(String file, String body, String... expectations) throws IOException {
    return scenario(file, body, Map.of("EXTRA", "yes"), expectations);
  }

  TestSpec scenario(String file, String body, Map<String, String> env, String... expectations)
      throws IOException {
    Files.writeString(build.resolve(file), body);
    return new TestSpec(
        "t",
        "tool.sh",
        Optional.of(file),
        List.of(expectations),
        Map.of("mode", "fast", "n", 3),
        Optional.empty(),
        Set.of(),
        Set.of(),
        env,
        List.of(),
        Optional.empty(),
        Optional.empty());
  }

  void awaitEnd(long token) {
    await().atMost(Duration.ofSeconds(30)).until(() -> events.ended(token));
  }

  AttemptReport runToCompletion(long token, TestSpec test) {
    worker.dispatch(request(token, test, Duration.ofSeconds(30)));
    awaitEnd(token);
    assertThat(events.seen)
        .contains(
            "accepted " + token, "RUNNING " + token, "UPLOADING " + token, "completed " + token);
    return events.reports.get(token);
  }

  @Test
  void whenItsHostAsksForShutdownTheWorkerFinishesItsTaskThenLeaves() throws IOException {
    java.util.concurrent.CompletableFuture<Void> shutdown =
        new java.util.concurrent.CompletableFuture<>();
    io.proteus.spi.Host host =
        new io.proteus.spi.Host() {
          @Override
          public Map<String, String> config() {
            return Map.of();
          }

          @Override
          public java.util.concurrent.CompletionStage<Void> shutdownRequested() {
            return shutdown;
          }
        };
    worker.stop();
    worker =
        start(
            LocalWorker.builder("w2", new ProcessPlatform("linux", tmp.resolve("caches")))
                .host(host));
    Files.writeString(build.resolve("slow.sh"), "#!/bin/sh\nsleep 1\n");
    worker.dispatch(
        request(
            41, TestSpec.of("t", "slow.sh", Optional.empty(), List.of()), Duration.ofSeconds(30)));
    await().atMost(Duration.ofSeconds(10)).until(() -> events.seen.contains("RUNNING 41"));
    shutdown.complete(null);
    worker.dispatch(
        request(
            42, TestSpec.of("t", "tool.sh", Optional.empty(), List.of()), Duration.ofSeconds(30)));
    awaitEnd(41);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.seen.contains("lost"));
    assertThat(events.seen).contains("completed 41");
    assertThat(events.seen)
        .anyMatch(e -> e.startsWith("failed 42 REJECTED") && e.contains("shutting down"));
    assertThat(events.seen.indexOf("lost")).isGreaterThan(events.seen.indexOf("completed 41"));
  }

  @Test
  void readsJsonLinesFromAShellScenarioWithMetadataInTheEnvironment() throws IOException {
    AttemptReport r =
        runToCompletion(
            1,
            scenario(
                "s.sh",
                "echo \"{\\\"name\\\":\\\"mode-$PROTEUS_META_MODE\\\",\\\"status\\\":\\\"passed\\\"}\" > $PROTEUS_RESULTS/r.jsonl\n"
                    + "test -f \"$PROTEUS_METADATA\" && echo '{\"name\":\"meta\",\"status\":\"passed\"}' >> $PROTEUS_RESULTS/r.jsonl\n"
                    + "[ \"$EXTRA\" = yes ] && \"$PROTEUS_BINARY\" hello\n"));
    assertThat(r.exitCode()).isZero();
    assertThat(r.cases()).extracting(TestCaseResult::name).containsExactly("mode-fast", "meta");
    assertThat(Files.readString(Path.of(r.log().orElseThrow()))).contains("out| tool hello");
  }

  @Test
  void readsJunitXmlAndTap() throws IOException {
    AttemptReport r =
        runToCompletion(
            2,
            scenario(
                "s.sh",
                "cat > $PROTEUS_RESULTS/a.xml <<X\n<testsuite><testcase name=\"x\"/><testcase name=\"y\"><failure message=\"bad\"/></testcase><testcase name=\"z\"><skipped/></testcase></testsuite>\nX\n"
                    + "printf 'ok 1 - t1\\nnot ok 2 - t2\\nok 3 - t3 # SKIP later\\n' > $PROTEUS_RESULTS/b.tap\n"));
    assertThat(r.cases())
        .extracting(TestCaseResult::name, TestCaseResult::status)
        .containsExactly(
            Tuple.tuple("x", CaseStatus.PASSED),
            Tuple.tuple("y", CaseStatus.FAILED),
            Tuple.tuple("z", CaseStatus.SKIPPED),
            Tuple.tuple("t1", CaseStatus.PASSED),
            Tuple.tuple("t2", CaseStatus.FAILED),
            Tuple.tuple("t3", CaseStatus.SKIPPED));
  }

  @Test
  void aResultFileThatIsNotUtf8IsAFailedCaseOfATestThatRan() throws IOException {
    AttemptReport r =
        runToCompletion(
            3, scenario("s.sh", "printf '\\377\\376 not text\\n' > $PROTEUS_RESULTS/r.jsonl\n"));
    assertThat(r.exitCode()).isZero();
    assertThat(r.cases())
        .singleElement()
        .satisfies(c -> {
          assertThat(c.name()).isEqualTo("unreadable result (r.jsonl)");
          assertThat(c.status()).isEqualTo(CaseStatus.FAILED);
        });
  }

  @Test
  void runsJavaScriptWithNode() throws IOException {
    AttemptReport r =
        runToCompletion(
            4,
            scenario(
                "s.js",
                "require('fs').writeFileSync(process.env.PROTEUS_RESULTS + '/r.jsonl', JSON.stringify({name: 'js', status: 'failed', message: 'nope'}) + '\\n');"));
    assertThat(r.cases())
        .singleElement()
        .satisfies(c -> {
          assertThat(c.status()).isEqualTo(CaseStatus.FAILED);
          assertThat(c.message()).contains("nope");
        });
  }

  @Test
  void runsTheBinaryWhenThereIsNoScenario() {
    AttemptReport r = runToCompletion(5, TestSpec.of("t", "tool.sh", Optional.empty(), List.of()));
    assertThat(r.exitCode()).isZero();
    assertThat(r.cases()).isEmpty();
  }

  @Test
  void aSilentAttemptIsStoppedAsATimeoutThatSaysWhy() throws IOException {
    TestSpec silent =
        scenario("s.sh", "echo before\nsleep 300\n").toBuilder()
            .noOutputTimeout(Optional.of(Duration.ofMillis(800)))
            .build();
    worker.dispatch(request(16, silent, Duration.ofMinutes(5)));
    awaitEnd(16);
    assertThat(events.seen)
        .anyMatch(s ->
            s.startsWith("failed 16 TIMEOUT printed nothing for 800ms (its no-output timeout)"));
    Path log = Path.of(events.failedLogs.get(16L).orElseThrow());
    assertThat(Files.readString(log)).contains("out| before").contains("proteus| printed nothing");
  }

  @Test
  void aTimeoutIsAFailureToRunThatKeepsItsLog() throws IOException {
    worker.dispatch(
        request(6, scenario("s.sh", "echo before\nsleep 300\n"), Duration.ofMillis(1500)));
    awaitEnd(6);
    assertThat(events.seen).anyMatch(s -> s.startsWith("failed 6 TIMEOUT"));
    Path log = Path.of(events.failedLogs.get(6L).orElseThrow());
    assertThat(Files.readString(log)).contains("out| before").contains("proteus| timed out");
  }

  @Test
  void aMissingBinaryIsABadBuildThatIsNotRetriedAndKeepsItsLog() throws IOException {
    worker.dispatch(
        request(
            7,
            TestSpec.of("t", "missing.bin", Optional.empty(), List.of()),
            Duration.ofSeconds(5)));
    awaitEnd(7);
    assertThat(events.seen)
        .anyMatch(s -> s.startsWith("failed 7 BAD_BUILD final") && s.contains("missing.bin"));
    assertThat(Files.readString(Path.of(events.failedLogs.get(7L).orElseThrow())))
        .contains("missing.bin");
  }

  @Test
  void aScenarioWhoseInterpreterIsMissingSaysWhichAndWhere() throws IOException {
    worker.dispatch(
        request(8, scenario("run-me", "#!/opt/nowhere/interp\necho\n"), Duration.ofSeconds(5)));
    awaitEnd(8);
    assertThat(events.seen)
        .anyMatch(s ->
            s.startsWith("failed 8 ENGINE_ERROR cannot start")
                && s.contains("run-me")
                && s.contains("/opt/nowhere/interp"));
  }

  @Test
  void aScenarioWithNoInterpreterIsABadBuildThatIsNotRetried() throws IOException {
    worker.dispatch(request(9, scenario("run.txt", "echo\n"), Duration.ofSeconds(5)));
    awaitEnd(9);
    assertThat(events.seen)
        .anyMatch(
            s -> s.startsWith("failed 9 BAD_BUILD final no interpreter for scenario run.txt"));
  }

  @Test
  void logsLiveApartAndWorkspacesArePrivateAndDeleted() throws IOException {
    AttemptReport r =
        runToCompletion(
            9,
            scenario(
                "s.sh",
                "stat -c '%a' \"$PROTEUS_WORKSPACE\" \"$(dirname \"$PROTEUS_WORKSPACE\")\"\n"));
    Path log = Path.of(r.log().orElseThrow());
    assertThat(log.getParent()).isEqualTo(tmp.resolve("work").resolve("logs"));
    assertThat(log.getFileName().toString()).isEqualTo("j-0-a1-9.log");
    assertThat(Files.readAllLines(log)).containsSequence("out| 700", "out| 700");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log)))
        .isEqualTo("rw-------");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> {
          try (Stream<Path> left = Files.list(tmp.resolve("work").resolve("work"))) {
            assertThat(left).isEmpty();
          }
        });
  }

  @Test
  void workspacesCanBeKeptForDebugging() throws IOException {
    worker.stop();
    worker =
        start(
            LocalWorker.builder("w2", new ProcessPlatform("linux", tmp.resolve("caches")))
                .keepWorkspaces(true));
    runToCompletion(10, scenario("s.sh", "echo kept > here.txt\n"));
    assertThat(tmp.resolve("work/work/j-0-a1-10/here.txt")).hasContent("kept");
  }

  @Test
  void theLogIsCappedButKeepsItsEndAndThePassStaysAPass() throws IOException {
    worker.stop();
    worker =
        start(
            LocalWorker.builder("w3", new ProcessPlatform("linux", tmp.resolve("caches")))
                .maxLogBytes(8192));
    AttemptReport r =
        runToCompletion(
            11,
            scenario("s.sh", "i=0; while [ $i -lt 5000 ]; do i=$((i+1)); echo line $i; done\n"));
    assertThat(r.exitCode()).isZero();
    Path log = Path.of(r.log().orElseThrow());
    List<String> lines = Files.readAllLines(log);
    assertThat(lines.getFirst()).isEqualTo("out| line 1");
    assertThat(lines.getLast()).isEqualTo("out| line 5000");
    assertThat(lines)
        .anyMatch(l ->
            l.matches(
                "proteus\\| \\[proteus: \\d+ bytes of output dropped here by the log cap of 8192 bytes; the last \\d+ bytes follow]"));
    assertThat(Files.size(log)).isLessThan(8192 + 300);
  }

  @Test
  void itRejectsASecondTaskWhileBusy() throws IOException {
    worker.dispatch(request(12, scenario("s.sh", "sleep 300\n"), Duration.ofSeconds(60)));
    worker.dispatch(request(13, scenario("s2.sh", "true\n"), Duration.ofSeconds(60)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> events.seen.contains("failed 13 REJECTED worker busy"));
  }

  @Test
  void aTestEnvironmentAProcessCannotCarryIsAFailureToRunAndTheWorkerGoesOn() throws IOException {
    worker.dispatch(
        request(14, scenario("s.sh", "true\n", Map.of("BAD=NAME", "x")), Duration.ofSeconds(30)));
    awaitEnd(14);
    assertThat(events.seen)
        .anyMatch(s -> s.startsWith("failed 14 ENGINE_ERROR") && s.contains("BAD=NAME"));
    runToCompletion(15, scenario("s.sh", "true\n"));
  }

  @Test
  void aTimeoutTooLongToAddAGraceToStillRuns() throws IOException {
    worker.dispatch(request(16, scenario("s.sh", "exit 0\n"), Duration.ofSeconds(Long.MAX_VALUE)));
    awaitEnd(16);
    assertThat(events.seen).contains("completed 16");
  }
}
