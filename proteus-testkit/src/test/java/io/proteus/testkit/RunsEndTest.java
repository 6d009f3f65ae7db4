package io.proteus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.JobId;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerState;
import io.proteus.model.WorkerStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every run ends: a task no worker in service could run fails with the reason, never waits. */
class RunsEndTest {
  final ProteusTestEnvironment env = ProteusTestEnvironment.create();

  @AfterEach
  void checkRulesAndClose() {
    NothingLost.check(env);
    env.close();
  }

  static TestSpec test(String name) {
    return TestSpec.of(name, "bin/" + name, Optional.empty(), List.of());
  }

  static TestPlan plan(TestSpec... tests) {
    return new TestPlan("plan", "1", List.of("linux"), "lab", Optional.empty(), List.of(tests));
  }

  void runToEnd() {
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(30));
  }

  WorkerState state(String id) {
    return env.core().workers().stream()
        .filter(w -> w.descriptor().id().equals(id))
        .map(WorkerStatus::state)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void tasksOnlyAQuarantinedWorkerCouldRunFailWithTheReason() {
    env.addWorkers(ScriptedWorker.of("only", "lab", "linux").otherwise(Behavior.reject()));
    JobId job = env.submit(plan(test("a"), test("b"), test("c"))).getFirst();
    runToEnd();
    assertThat(state("only")).isEqualTo(WorkerState.QUARANTINED);
    List<TaskResult> tasks = env.job(job).tasks();
    assertThat(tasks).extracting(TaskResult::status).containsOnly(TaskStatus.ERROR);
    assertThat(tasks.get(2).reason().orElseThrow())
        .contains("out of service")
        .contains("only (quarantined after 3 tasks in a row could not run on it");
    assertThat(env.core().completion(job)).isCompleted();
  }

  @Test
  void oneBrokenTestDoesNotQuarantineALoneWorker() {
    env.addWorkers(ScriptedWorker.of("only", "lab", "linux").on("broken", Behavior.engineError()));
    JobId job = env.submit(plan(test("broken"), test("fine"))).getFirst();
    runToEnd();
    assertThat(env.job(job).tasks())
        .extracting(TaskResult::status)
        .containsExactly(TaskStatus.ERROR, TaskStatus.PASSED);
    assertThat(state("only")).isEqualTo(WorkerState.IDLE);
  }

  @Test
  void aLostWorkersResourceStaysHeldForTheAbortGrace() {
    env.addWorkers(
        ScriptedWorker.of("a", "lab", "linux").on("first", Behavior.hang()),
        ScriptedWorker.of("b", "lab", "linux"));
    TestSpec first = test("first").withTagsAndResources(Set.of(), Set.of("device-1"));
    TestSpec second = test("second").withTagsAndResources(Set.of(), Set.of("device-1"));
    JobId one = env.submit(plan(first)).getFirst();
    env.advance(Duration.ofSeconds(1));
    JobId two = env.submit(plan(second)).getFirst();
    env.worker("a").die("partitioned");
    env.advance(Duration.ofSeconds(5));
    assertThat(env.task(two, 0).status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(env.task(one, 0).status()).isEqualTo(TaskStatus.QUEUED);
    runToEnd();
    assertThat(env.task(one, 0).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(env.task(two, 0).status()).isEqualTo(TaskStatus.PASSED);
  }

  @Test
  void brokenTestsDoNotQuarantineHealthyWorkersAndTheGoodTestRuns() {
    ScriptedWorker w1 = ScriptedWorker.of("w1", "lab", "linux");
    ScriptedWorker w2 = ScriptedWorker.of("w2", "lab", "linux");
    for (ScriptedWorker w : List.of(w1, w2)) {
      for (String bad : List.of("bad1", "bad2", "bad3", "bad4")) {
        w.on(bad, Behavior.engineError());
      }
    }
    env.addWorkers(w1, w2);
    JobId job =
        env.submit(plan(test("bad1"), test("bad2"), test("bad3"), test("bad4"), test("good")))
            .getFirst();
    runToEnd();
    assertThat(env.job(job).tasks())
        .extracting(TaskResult::status)
        .containsExactly(
            TaskStatus.ERROR,
            TaskStatus.ERROR,
            TaskStatus.ERROR,
            TaskStatus.ERROR,
            TaskStatus.PASSED);
    assertThat(state("w1")).isEqualTo(WorkerState.IDLE);
    assertThat(state("w2")).isEqualTo(WorkerState.IDLE);
  }

  @Test
  void drainingTheLastCapableWorkerFailsWhatOnlyItCouldRun() {
    env.addWorkers(
        ScriptedWorker.of("w", "lab", "linux").on("long", Behavior.pass(Duration.ofSeconds(20))));
    JobId job = env.submit(plan(test("long"), test("waiting"))).getFirst();
    env.advance(Duration.ofSeconds(1));
    assertThat(env.task(job, 0).status()).isEqualTo(TaskStatus.RUNNING);
    env.core().drain("w");
    runToEnd();
    assertThat(env.task(job, 0).status()).isEqualTo(TaskStatus.PASSED);
    TaskResult waiting = env.task(job, 1);
    assertThat(waiting.status()).isEqualTo(TaskStatus.ERROR);
    assertThat(waiting.attempts()).isEmpty();
    assertThat(waiting.reason().orElseThrow()).contains("out of service").contains("w (draining)");
    assertThat(state("w")).isEqualTo(WorkerState.OFFLINE);
  }

  @Test
  void aTimeoutThatWouldOverflowADeadlineStillRunsAndEnds() {
    env.addWorkers(ScriptedWorker.of("w", "lab", "linux"));
    JobId job =
        env.submit(plan(test("huge").withTimeout(Duration.ofSeconds(Long.MAX_VALUE)))).getFirst();
    runToEnd();
    assertThat(env.task(job, 0).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(state("w")).isEqualTo(WorkerState.IDLE);
  }

  @Test
  void anAbortedAttemptHoldsItsResourceUntilTheWorkerSaysItIsOver() {
    env.addWorkers(
        ScriptedWorker.of("a", "lab", "linux")
            .on("first", Behavior.hang())
            .abortTakes(Duration.ofSeconds(8)),
        ScriptedWorker.of("b", "lab", "linux"));
    TestSpec first = test("first").withTagsAndResources(Set.of(), Set.of("device-1"));
    TestSpec second = test("second").withTagsAndResources(Set.of(), Set.of("device-1"));
    JobId one = env.submit(plan(first)).getFirst();
    env.advance(Duration.ofSeconds(1));
    assertThat(env.worker("a").current()).isPresent();
    JobId two = env.submit(plan(second)).getFirst();
    env.core().cancel(one);
    env.advance(Duration.ofSeconds(7));
    assertThat(env.task(one, 0).status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(env.task(two, 0).status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(state("a")).isEqualTo(WorkerState.BUSY);
    env.advance(Duration.ofSeconds(2));
    runToEnd();
    assertThat(env.task(two, 0).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(state("a")).isEqualTo(WorkerState.IDLE);
  }

  @Test
  void aWorkerThatNeverSaysAnAbortIsOverIsReusedAfterTheAbortGrace() {
    env.addWorkers(
        ScriptedWorker.of("a", "lab", "linux").on("first", Behavior.hang()).abortTakes(null));
    TestSpec first = test("first").withTagsAndResources(Set.of(), Set.of("device-1"));
    JobId one = env.submit(plan(first)).getFirst();
    env.advance(Duration.ofSeconds(1));
    JobId two = env.submit(plan(test("second"))).getFirst();
    env.core().cancel(one);
    env.advance(Duration.ofSeconds(9));
    assertThat(env.task(two, 0).status()).isEqualTo(TaskStatus.QUEUED);
    env.advance(Duration.ofSeconds(2));
    runToEnd();
    assertThat(env.task(two, 0).status()).isEqualTo(TaskStatus.PASSED);
  }
}
