package io.proteus.core.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.core.process.ProcessEngine;
import io.proteus.model.JobId;
import io.proteus.model.TaskId;
import io.proteus.model.TestSpec;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.OutputSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attempt's own stops, with real processes: the run timeout and the no-output timeout end it as
 * timed out, and every stop, an abort included, gives the command its cancel grace first.
 */
class AttemptRunStopsTest {
  @TempDir Path tmp;
  Path build;
  Path cleanup;
  ProcessEngine engine;
  final List<String> lines = new CopyOnWriteArrayList<>();

  /** Traps SIGTERM, cleans up (a file outside the workspace) and exits 0. */
  static final String TRAPS =
      "trap 'echo cleaned > \"$CLEANUP\"; exit 0' TERM\necho ready\nsleep 300 &\nwait\n";

  /** Ignores SIGTERM; only a kill ends it. */
  static final String IGNORES =
      "trap '' TERM\necho ready\nsleep 300 &\nwhile :; do wait; done\necho cleaned > \"$CLEANUP\"\n";

  @BeforeEach
  void setUp() throws IOException {
    build = Files.createDirectories(tmp.resolve("build"));
    Files.writeString(build.resolve("tool.sh"), "#!/bin/sh\n");
    cleanup = tmp.resolve("cleanup");
    engine = new ProcessEngine();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  TestSpec.Builder test(String script) throws IOException {
    Files.writeString(build.resolve("s.sh"), script);
    return TestSpec.builder("t", "tool.sh")
        .scenario("s.sh")
        .environment(Map.of("CLEANUP", cleanup.toString()));
  }

  AttemptRun attempt(TestSpec test, Duration timeout) {
    DispatchRequest request =
        new DispatchRequest(
            new TaskId(new JobId("j"), 0),
            1,
            7,
            test,
            "linux",
            BuildFiles.ofFolder(build),
            timeout);
    OutputSink live =
        new OutputSink() {
          @Override
          public void stdout(String line) {
            lines.add(line);
          }

          @Override
          public void stderr(String line) {
            lines.add(line);
          }
        };
    return new AttemptRun(
        request,
        tmp.resolve("root"),
        new AttemptRun.Settings(AttemptRun.Settings.DEFAULT_MAX_LOG_BYTES, false),
        live);
  }

  record Ended(AttemptRun.Outcome outcome, Duration took) {}

  Ended run(AttemptRun run) throws Exception {
    long start = System.nanoTime();
    CompletableFuture<AttemptRun.Outcome> o = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> o.complete(run.run(engine, () -> {}, () -> {})));
    AttemptRun.Outcome outcome = o.get(120, TimeUnit.SECONDS);
    return new Ended(outcome, Duration.ofNanos(System.nanoTime() - start));
  }

  @Test
  void anAttemptSilentForItsNoOutputTimeoutIsStoppedAsTimedOut() throws Exception {
    TestSpec t =
        test("echo started\nexec sleep 300\n")
            .noOutputTimeout(Optional.of(Duration.ofSeconds(1)))
            .build();
    Ended e = run(attempt(t, Duration.ofMinutes(5)));
    assertThat(e.outcome()).isInstanceOf(AttemptRun.Outcome.TimedOut.class);
    assertThat(((AttemptRun.Outcome.TimedOut) e.outcome()).reason())
        .startsWith("printed nothing for 1s (its no-output timeout); stopped with a grace of 10s");
    assertThat(e.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(e.took()).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void everyLineStartsTheSilenceAgain() throws Exception {
    TestSpec t =
        test("i=0\nwhile [ $i -lt 12 ]; do echo tick $i >&2; sleep 0.2; i=$((i + 1)); done\n")
            .noOutputTimeout(Optional.of(Duration.ofSeconds(1)))
            .build();
    Ended e = run(attempt(t, Duration.ofMinutes(5)));
    assertThat(e.outcome()).isInstanceOf(AttemptRun.Outcome.Ran.class);
    assertThat(((AttemptRun.Outcome.Ran) e.outcome()).report().exitCode()).isZero();
    assertThat(lines).contains("tick 11");
  }

  @Test
  void aSilentStopIsPoliteToo() throws Exception {
    TestSpec t =
        test(TRAPS)
            .noOutputTimeout(Optional.of(Duration.ofMillis(500)))
            .cancelGrace(Optional.of(Duration.ofSeconds(60)))
            .build();
    Ended e = run(attempt(t, Duration.ofMinutes(5)));
    assertThat(e.outcome()).isInstanceOf(AttemptRun.Outcome.TimedOut.class);
    assertThat(Files.readString(cleanup)).isEqualTo("cleaned\n");
    assertThat(e.took()).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void theRunTimeoutStopsPolitelyAndTheCleanupIsDoneWithinTheGrace() throws Exception {
    TestSpec t = test(TRAPS).cancelGrace(Optional.of(Duration.ofSeconds(60))).build();
    Ended e = run(attempt(t, Duration.ofSeconds(1)));
    assertThat(e.outcome()).isInstanceOf(AttemptRun.Outcome.TimedOut.class);
    assertThat(((AttemptRun.Outcome.TimedOut) e.outcome()).reason())
        .isEqualTo(
            "timed out after 1s; stopped with a grace of 60s, every process of the attempt is"
                + " gone");
    assertThat(Files.readString(cleanup)).isEqualTo("cleaned\n");
    assertThat(e.took()).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void aCommandThatIgnoresTheStopIsKilledWhenTheGraceIsOver() throws Exception {
    TestSpec t = test(IGNORES).cancelGrace(Optional.of(Duration.ofMillis(1500))).build();
    Ended e = run(attempt(t, Duration.ofSeconds(1)));
    assertThat(e.outcome()).isInstanceOf(AttemptRun.Outcome.TimedOut.class);
    assertThat(e.took()).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
    assertThat(e.took()).isLessThan(Duration.ofSeconds(30));
    assertThat(cleanup).doesNotExist();
  }

  @Test
  void anAbortGivesTheGraceTooAndEndsAsAborted() throws Exception {
    TestSpec t = test(TRAPS).cancelGrace(Optional.of(Duration.ofSeconds(60))).build();
    AttemptRun run = attempt(t, Duration.ofMinutes(5));
    CompletableFuture<Ended> ended = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(() -> {
          try {
            ended.complete(run(run));
          } catch (Exception ex) {
            ended.completeExceptionally(ex);
          }
        });
    await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("ready"));
    run.abort();
    Ended e = ended.get(60, TimeUnit.SECONDS);
    assertThat(e.outcome()).isInstanceOf(AttemptRun.Outcome.Aborted.class);
    assertThat(Files.readString(cleanup)).isEqualTo("cleaned\n");
  }

  @Test
  void aDispatchWithoutAGraceGetsTheDefault() throws Exception {
    assertThat(attempt(test(TRAPS).build(), Duration.ofSeconds(1)).cancelGrace())
        .isEqualTo(AttemptRun.DEFAULT_CANCEL_GRACE)
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void reasonsShowDurationsShortAndExact() {
    assertThat(AttemptRun.seconds(Duration.ofMinutes(10))).isEqualTo("600s");
    assertThat(AttemptRun.seconds(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(AttemptRun.seconds(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(AttemptRun.seconds(Duration.ZERO)).isEqualTo("0s");
  }
}
