package io.proteus.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.core.process.ProcessPlatform;
import io.proteus.model.CaseStatus;
import io.proteus.model.JobId;
import io.proteus.model.TaskId;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestCaseResult;
import io.proteus.model.TestSpec;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.FailureKind;
import io.proteus.spi.WorkerContext;
import io.proteus.spi.WorkerEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalWorkerTest {
  @TempDir Path tmp;
  Path build;
  LocalWorker worker;
  final List<String> seen = new CopyOnWriteArrayList<>();
  volatile AttemptReport report;

  final WorkerEvents events =
      new WorkerEvents() {
        @Override
        public void ready() {
          seen.add("ready");
        }

        @Override
        public void accepted(long token) {
          seen.add("accepted " + token);
        }

        @Override
        public void progressed(long token, TaskStatus phase) {
          seen.add(phase + " " + token);
        }

        @Override
        public void completed(long token, AttemptReport r) {
          report = r;
          seen.add("completed " + token);
        }

        @Override
        public void failed(long token, FailureKind kind, String reason) {
          seen.add("failed " + token + " " + kind + " " + reason);
        }

        @Override
        public void heartbeat() {}

        @Override
        public void lost(String reason) {
          seen.add("lost");
        }
      };

  @BeforeEach
  void setUp() throws IOException {
    build = Files.createDirectories(tmp.resolve("build"));
    Files.writeString(build.resolve("tool.sh"), "#!/bin/sh\necho tool \"$@\"\n");
    worker =
        LocalWorker.builder("w1", new ProcessPlatform("linux", tmp.resolve("caches")))
            .workRoot(tmp.resolve("work"))
            .build();
    worker.start(new WorkerContext(events, Clock.systemUTC()));
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
        Map.of("EXTRA", "yes"),
        List.of(),
        Optional.empty(),
        Optional.empty());
  }

  AttemptReport runToCompletion(long token, TestSpec test) {
    worker.dispatch(request(token, test, Duration.ofSeconds(30)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() ->
            seen.contains("completed " + token)
                || seen.stream().anyMatch(s -> s.startsWith("failed " + token)));
    assertThat(seen).contains("accepted " + token, "RUNNING " + token, "UPLOADING " + token);
    return report;
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
            org.assertj.core.groups.Tuple.tuple("x", CaseStatus.PASSED),
            org.assertj.core.groups.Tuple.tuple("y", CaseStatus.FAILED),
            org.assertj.core.groups.Tuple.tuple("z", CaseStatus.SKIPPED),
            org.assertj.core.groups.Tuple.tuple("t1", CaseStatus.PASSED),
            org.assertj.core.groups.Tuple.tuple("t2", CaseStatus.FAILED),
            org.assertj.core.groups.Tuple.tuple("t3", CaseStatus.SKIPPED));
  }

  @Test
  void runsJavaScriptWithNode() throws IOException {
    AttemptReport r =
        runToCompletion(
            3,
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
    AttemptReport r = runToCompletion(4, TestSpec.of("t", "tool.sh", Optional.empty(), List.of()));
    assertThat(r.exitCode()).isZero();
    assertThat(r.cases()).isEmpty();
  }

  @Test
  void aTimeoutIsReportedAsAFailureToRun() throws IOException {
    worker.dispatch(request(5, scenario("s.sh", "sleep 300\n"), Duration.ofMillis(300)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> seen.stream().anyMatch(s -> s.startsWith("failed 5 TIMEOUT")));
  }

  @Test
  void aMissingBinaryIsAnEngineError() {
    worker.dispatch(
        request(
            6,
            TestSpec.of("t", "missing.bin", Optional.empty(), List.of()),
            Duration.ofSeconds(5)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() ->
            seen.stream()
                .anyMatch(s -> s.startsWith("failed 6 ENGINE_ERROR") && s.contains("missing.bin")));
  }

  @Test
  void itRejectsASecondTaskWhileBusy() throws IOException {
    worker.dispatch(request(7, scenario("s.sh", "sleep 300\n"), Duration.ofSeconds(60)));
    worker.dispatch(request(8, scenario("s2.sh", "true\n"), Duration.ofSeconds(60)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> seen.contains("failed 8 REJECTED worker busy"));
    worker.stop();
  }
}
