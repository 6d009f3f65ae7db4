package io.proteus.testkit;

import static io.proteus.testkit.ProteusAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.model.AttemptEnd;
import io.proteus.model.CaseStatus;
import io.proteus.model.JobId;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerState;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.OutputSink;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class TestkitFakesTest {
  static TestPlan plan(String... tests) {
    return new TestPlan(
        "plan",
        "1",
        List.of("linux"),
        "default",
        Optional.empty(),
        java.util.Arrays.stream(tests)
            .map(t -> TestSpec.of(t, "bin", Optional.empty(), List.of()))
            .toList());
  }

  @Test
  void aRecordingAdapterFeedsBuildsOnPollAndRecordsResults() {
    RecordingAdapter adapter = new RecordingAdapter("ci").offer("b1", plan("a", "b"));
    try (var env =
        ProteusTestEnvironment.create(
            b -> b.adapter(adapter).pollInterval(Duration.ofSeconds(5)))) {
      env.addWorkers(ScriptedWorker.of("w", "default", "linux"));
      assertThat(adapter.submitted()).hasSize(1);
      env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(1));
      assertThat(adapter.delivered())
          .singleElement()
          .satisfies(j -> assertThat(j).isCompleted().allPassed());
      adapter.offer("b2", plan("c"));
      env.advance(Duration.ofSeconds(5));
      assertThat(adapter.submitted()).hasSize(2);
    }
  }

  @Test
  void aFailedDeliveryStaysInTheOutboxAndIsRetried() {
    RecordingAdapter adapter =
        new RecordingAdapter("ci").offer("b1", plan("a")).failNextDeliveries(2);
    try (var env =
        ProteusTestEnvironment.create(
            b -> b.adapter(adapter).deliveryRetry(Duration.ofSeconds(10)))) {
      env.addWorkers(ScriptedWorker.of("w", "default", "linux"));
      env.advance(Duration.ofSeconds(2));
      JobId id = adapter.submitted().getFirst();
      assertThat(adapter.deliveryAttempts(id)).isEqualTo(1);
      assertThat(env.store().outbox()).containsExactly(id);
      env.advance(Duration.ofSeconds(10));
      assertThat(adapter.deliveryAttempts(id)).isEqualTo(2);
      assertThat(adapter.delivered()).isEmpty();
      env.advance(Duration.ofSeconds(10));
      assertThat(adapter.delivered()).hasSize(1);
      assertThat(env.store().outbox()).isEmpty();
    }
  }

  @Test
  void aBuildThatDoesNotFitWaitsForStorage() {
    RecordingAdapter adapter =
        new RecordingAdapter("ci")
            .offer("big1", io.proteus.spi.BuildFiles.NONE, 800, plan("a"))
            .offer("big2", io.proteus.spi.BuildFiles.NONE, 800, plan("b"));
    try (var env =
        ProteusTestEnvironment.create(
            b -> b.adapter(adapter).storage(tmpDir(), 1000).pollInterval(Duration.ofSeconds(1)))) {
      env.addWorkers(
          ScriptedWorker.of("w", "default", "linux")
              .otherwise(Behavior.pass(Duration.ofSeconds(30))));
      assertThat(adapter.submitted()).hasSize(1);
      assertThat(adapter.waiting()).isEqualTo(1);
      assertThat(env.core().storageReserved()).isEqualTo(800);
      env.advance(Duration.ofSeconds(20));
      assertThat(adapter.waiting()).isEqualTo(1);
      env.advance(Duration.ofSeconds(15));
      assertThat(adapter.submitted()).hasSize(2);
    }
  }

  @org.junit.jupiter.api.io.TempDir Path tmp;

  Path tmpDir() {
    return tmp;
  }

  @Test
  void workersLeaveAndComeBack() {
    try (var env = ProteusTestEnvironment.create()) {
      env.addWorkers(ScriptedWorker.of("w", "default", "linux").on("a", Behavior.hang()));
      JobId id = env.submit(plan("a")).getFirst();
      env.worker("w").leave();
      env.runUntilIdle();
      assertThat(env.core().workers().getFirst().state()).isEqualTo(WorkerState.OFFLINE);
      assertThat(env.task(id, 0)).attemptEnded(1, AttemptEnd.WORKER_LOST);
      env.worker("w").on("a", Behavior.pass()).revive();
      env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(1));
      assertThat(env.task(id, 0)).passed().ranOn("w", "w").hasAttempts(2);
    }
  }

  @Test
  void assertionFailuresSayWhichTaskWhichAttemptsAndWhatHappened() {
    try (var env = ProteusTestEnvironment.create()) {
      env.addWorkers(
          ScriptedWorker.of("w1", "default", "linux").on("a", Behavior.die()),
          ScriptedWorker.of("w2", "default", "linux"));
      JobId id = env.submit(plan("a")).getFirst();
      env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(1));
      assertThat(env.job(id))
          .isCompleted()
          .hasCounts(1, 0, 0, 0)
          .task("a")
          .passed()
          .ranOn("w1", "w2")
          .attemptEnded(1, AttemptEnd.WORKER_LOST);
      assertThatThrownBy(() -> assertThat(env.job(id)).task("a").failed())
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("'a'")
          .hasMessageContaining("#1 on w1 WORKER_LOST")
          .hasMessageContaining("#2 on w2 COMPLETED")
          .hasMessageContaining("to be FAILED but it is PASSED");
      assertThatThrownBy(() -> assertThat(env.job(id)).task("nope"))
          .hasMessageContaining("no task for test 'nope'");
      assertThatThrownBy(() -> assertThat(env.job(id)).hasCounts(0, 1, 0, 0))
          .hasMessageContaining("passed=1");
    }
  }

  @Test
  void aFakeHostAsksForShutdownWhenTold() {
    FakeHost host = new FakeHost(Map.of("pool", "lab"));
    var asked = host.shutdownRequested().toCompletableFuture();
    assertThat(asked).isNotDone();
    host.requestShutdown();
    assertThat(asked).isDone();
    assertThat(host.config()).containsEntry("pool", "lab");
  }

  @Test
  void aFakeCacheFolderHasSizeArchiveAndDelete() throws Exception {
    FakeCacheFolder cache =
        new FakeCacheFolder("deps", Path.of("/cache/deps"))
            .put("a.txt", "abc")
            .put("b/c.txt", "de");
    assertThat(cache.size()).isEqualTo(5);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    cache.archive(out);
    try (var tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(out.toByteArray()))) {
      assertThat(tar.getNextEntry().getName()).isEqualTo("a.txt");
      assertThat(tar.getNextEntry().getName()).isEqualTo("b/c.txt");
    }
    cache.delete();
    assertThat(cache.size()).isZero();
    assertThat(cache.deletions()).isEqualTo(1);
  }

  @Test
  void aFakeEngineHangsUntilAborted() throws Exception {
    FakeEngine engine = new FakeEngine().otherwise(new FakeEngine.Outcome.Hang());
    var exec =
        engine.start(
            new ExecSpec(
                List.of("x"),
                Path.of("."),
                Map.of(),
                Optional.empty(),
                Duration.ofSeconds(1),
                OutputSink.NONE));
    assertThat(exec.exit().toCompletableFuture()).isNotDone();
    exec.abort();
    ExitStatus s = exec.exit().toCompletableFuture().get(1, TimeUnit.SECONDS);
    assertThat(s.aborted()).isTrue();
  }

  @Test
  void scriptedCasesReachTheTask() {
    try (var env = ProteusTestEnvironment.create()) {
      env.addWorkers(
          ScriptedWorker.of("w", "default", "linux")
              .on("a", Behavior.fail(Duration.ofSeconds(2), "x")));
      JobId id = env.submit(plan("a")).getFirst();
      env.advance(Duration.ofSeconds(1));
      assertThat(env.task(id, 0).status()).isEqualTo(io.proteus.model.TaskStatus.RUNNING);
      env.advance(Duration.ofSeconds(1));
      assertThat(env.task(id, 0)).failed().hasCase("x", CaseStatus.FAILED).hasAttempts(1);
    }
  }
}
