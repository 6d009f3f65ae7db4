package io.proteus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.JobId;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerState;
import io.proteus.model.WorkerStatus;
import io.proteus.spi.ProteusEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Draining a worker with a deadline: finish in time, or hand back what is left. */
class DrainTest {
  final ProteusTestEnvironment env = ProteusTestEnvironment.create();

  @AfterEach
  void checkRulesAndClose() {
    NothingLost.check(env);
    env.close();
  }

  static TestPlan plan(String... names) {
    return new TestPlan(
        "plan",
        "1",
        List.of("linux"),
        "lab",
        Optional.empty(),
        java.util.Arrays.stream(names)
            .map(n -> TestSpec.of(n, "bin/" + n, Optional.empty(), List.of()))
            .toList());
  }

  WorkerState state(String id) {
    return env.core().workers().stream()
        .filter(w -> w.descriptor().id().equals(id))
        .map(WorkerStatus::state)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aTaskThatEndsBeforeTheDeadlineFinishesOnTheDrainingWorker() {
    env.addWorkers(
        ScriptedWorker.of("w1", "lab", "linux").otherwise(Behavior.pass(Duration.ofSeconds(5))));
    JobId job = env.submit(plan("t")).getFirst();
    CompletableFuture<Void> offline = env.core().drain("w1", Duration.ofSeconds(30));
    env.runUntilIdle();
    assertThat(state("w1")).isEqualTo(WorkerState.DRAINING);
    assertThat(offline).isNotDone();
    env.advance(Duration.ofSeconds(6));
    assertThat(offline).isCompleted();
    assertThat(state("w1")).isEqualTo(WorkerState.OFFLINE);
    TaskResult t = env.task(job, 0);
    assertThat(t.status()).isEqualTo(TaskStatus.PASSED);
    assertThat(t.attempts()).extracting(AttemptRecord::workerId).containsExactly("w1");
  }

  @Test
  void pastTheDeadlineTheAttemptIsHandedBackAndRetriedElsewhereWithoutCounting() {
    env.addWorkers(ScriptedWorker.of("w1", "lab", "linux").otherwise(Behavior.hang()));
    JobId job = env.submit(plan("t")).getFirst();
    env.runUntilIdle();
    CompletableFuture<Void> offline = env.core().drain("w1", Duration.ofSeconds(10));
    env.advance(Duration.ofSeconds(9));
    assertThat(offline).isNotDone();
    assertThat(env.worker("w1").aborts()).isEmpty();
    env.advance(Duration.ofSeconds(2));
    assertThat(offline).isCompleted();
    assertThat(env.worker("w1").aborts()).hasSize(1);
    assertThat(state("w1")).isEqualTo(WorkerState.OFFLINE);
    TaskResult queued = env.task(job, 0);
    assertThat(queued.status()).isEqualTo(TaskStatus.QUEUED);
    AttemptRecord handedBack = queued.attempts().getFirst();
    assertThat(handedBack.end()).contains(AttemptEnd.HANDED_BACK);
    assertThat(handedBack.reason().orElseThrow())
        .contains("handed back")
        .contains("w1 drained")
        .contains("PT10S");

    env.addWorkers(ScriptedWorker.of("w2", "lab", "linux"));
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(5));
    TaskResult done = env.task(job, 0);
    assertThat(done.status()).isEqualTo(TaskStatus.PASSED);
    assertThat(done.attempts())
        .extracting(AttemptRecord::workerId, a -> a.end().orElseThrow())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("w1", AttemptEnd.HANDED_BACK),
            org.assertj.core.groups.Tuple.tuple("w2", AttemptEnd.COMPLETED));
    assertThat(env.events(ProteusEvent.WorkerChanged.class))
        .noneMatch(e -> e.to() == WorkerState.QUARANTINED);
  }

  @Test
  void handBacksUseUpNoAttempt() {
    env.addWorkers(ScriptedWorker.of("w1", "lab", "linux").otherwise(Behavior.hang()));
    JobId job = env.submit(plan("t")).getFirst();
    env.runUntilIdle();
    for (int i = 2; i <= 4; i++) {
      env.core().drain("w" + (i - 1), Duration.ofSeconds(1));
      env.addWorkers(ScriptedWorker.of("w" + i, "lab", "linux").otherwise(Behavior.hang()));
      env.advance(Duration.ofSeconds(2));
    }
    env.core().drain("w4", Duration.ofSeconds(1));
    env.addWorkers(ScriptedWorker.of("w5", "lab", "linux"));
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(5));
    TaskResult t = env.task(job, 0);
    assertThat(t.status()).isEqualTo(TaskStatus.PASSED);
    assertThat(t.attempts()).hasSize(5);
    assertThat(t.attempts().subList(0, 4))
        .allSatisfy(a -> assertThat(a.end()).contains(AttemptEnd.HANDED_BACK));
  }

  @Test
  void aDispatchSentJustBeforeTheDrainIsRunOrHandedBackNeverOrphaned() {
    ScriptedWorker slow =
        ScriptedWorker.of("w1", "lab", "linux").otherwise(Behavior.pass(Duration.ofSeconds(20)));
    env.addWorkers(slow);
    JobId job = env.submit(plan("t")).getFirst();
    CompletableFuture<Void> offline = env.core().drain("w1", Duration.ofSeconds(3));
    env.addWorkers(ScriptedWorker.of("w2", "lab", "linux").otherwise(Behavior.hang()));
    env.runUntilIdle();
    assertThat(slow.dispatched()).hasSize(1);
    assertThat(env.worker("w2").dispatched()).isEmpty();
    env.advance(Duration.ofSeconds(4));
    assertThat(offline).isCompleted();
    assertThat(env.task(job, 0).attempts().getFirst().end()).contains(AttemptEnd.HANDED_BACK);
    assertThat(env.worker("w2").dispatched()).hasSize(1);
    env.worker("w2").otherwise(Behavior.pass());
    env.worker("w2").die("gone");
    env.addWorkers(ScriptedWorker.of("w3", "lab", "linux"));
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(5));
    assertThat(env.task(job, 0).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(env.task(job, 0).attempts())
        .extracting(AttemptRecord::workerId)
        .containsExactly("w1", "w2", "w3");
  }

  @Test
  void anIdleWorkerGoesOfflineAtOnceAndGetsNoWork() {
    env.addWorkers(ScriptedWorker.of("w1", "lab", "linux"));
    env.runUntilIdle();
    CompletableFuture<Void> offline = env.core().drain("w1", Duration.ofSeconds(5));
    env.runUntilIdle();
    assertThat(offline).isCompleted();
    env.submit(plan("t"));
    env.advance(Duration.ofSeconds(5));
    assertThat(env.worker("w1").dispatched()).isEmpty();
    env.addWorkers(ScriptedWorker.of("w2", "lab", "linux"));
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(5));
  }

  @Test
  void drainWithoutDeadlineWaitsForTheTask() {
    env.addWorkers(
        ScriptedWorker.of("w1", "lab", "linux").otherwise(Behavior.pass(Duration.ofSeconds(50))));
    JobId job = env.submit(plan("t")).getFirst();
    env.runUntilIdle();
    env.core().drain("w1");
    env.advance(Duration.ofSeconds(40));
    assertThat(state("w1")).isEqualTo(WorkerState.DRAINING);
    env.advanceUntilDone(Duration.ofSeconds(10), Duration.ofMinutes(5));
    assertThat(env.task(job, 0).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(state("w1")).isEqualTo(WorkerState.OFFLINE);
  }
}
