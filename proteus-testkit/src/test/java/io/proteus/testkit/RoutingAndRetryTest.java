package io.proteus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.CaseStatus;
import io.proteus.model.JobId;
import io.proteus.model.JobStatus;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestCaseResult;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerState;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.ProteusEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoutingAndRetryTest {
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

  @Test
  void aTaskGoesOnlyToAWorkerWithEveryTagItNeeds() {
    env.addWorkers(
        ScriptedWorker.of("plain", "lab", "linux"),
        ScriptedWorker.of("gpu", "lab", "linux", Set.of("gpu", "cuda"), null));
    JobId job =
        env.submit(
                plan(
                    test("a").withTagsAndResources(Set.of("gpu"), Set.of()),
                    test("b").withTagsAndResources(Set.of("gpu"), Set.of())))
            .getFirst();
    runToEnd();
    assertThat(env.job(job).tasks())
        .allSatisfy(t -> {
          assertThat(t.status()).isEqualTo(TaskStatus.PASSED);
          assertThat(t.attempts()).extracting(AttemptRecord::workerId).containsOnly("gpu");
        });
    assertThat(env.worker("plain").dispatched()).isEmpty();
  }

  @Test
  void workersScopedToTheTopicGetItsWorkFirstAndGenericOnesTakeTheRest() {
    env.addWorkers(
        ScriptedWorker.of("generic", "lab", "linux"),
        ScriptedWorker.of("ruby", "lab", "linux", Set.of(), "ruby"),
        ScriptedWorker.of("go", "lab", "linux", Set.of(), "go"));
    TestPlan rubyPlan =
        new TestPlan(
            "rb",
            "1",
            List.of("linux"),
            "lab",
            Optional.of("ruby"),
            List.of(test("r1"), test("r2")));
    JobId rb = env.submit(rubyPlan).getFirst();
    assertThat(env.worker("ruby").dispatched())
        .extracting(d -> d.test().name())
        .containsExactly("r1");
    assertThat(env.worker("generic").dispatched())
        .extracting(d -> d.test().name())
        .containsExactly("r2");
    assertThat(env.worker("go").dispatched()).isEmpty();
    runToEnd();
    assertThat(env.job(rb).allPassed()).isTrue();
  }

  @Test
  void twoTasksNeedingOneResourceNeverOverlap() {
    env.addWorkers(
        ScriptedWorker.of("w1", "lab", "linux"),
        ScriptedWorker.of("w2", "lab", "linux"),
        ScriptedWorker.of("w3", "lab", "linux"));
    env.submit(
        plan(
            test("d1").withTagsAndResources(Set.of(), Set.of("device-1")),
            test("d2").withTagsAndResources(Set.of(), Set.of("device-1")),
            test("d3").withTagsAndResources(Set.of(), Set.of("device-1", "uart")),
            test("free")));
    int maxHolding = 0;
    for (int i = 0; i < 20; i++) {
      int holding = 0;
      for (String w : List.of("w1", "w2", "w3")) {
        holding +=
            env.worker(w)
                    .current()
                    .filter(d -> d.test().resources().contains("device-1"))
                    .isPresent()
                ? 1
                : 0;
      }
      maxHolding = Math.max(maxHolding, holding);
      NothingLost.accountingHolds(env);
      env.advance(Duration.ofMillis(500));
    }
    runToEnd();
    assertThat(maxHolding).isEqualTo(1);
    assertThat(env.core().jobs().getFirst().allPassed()).isTrue();
  }

  @Test
  void aTaskNoRegisteredWorkerCouldServeFailsFastWithTheReason() {
    env.addWorkers(ScriptedWorker.of("w1", "lab", "linux"));
    JobId job =
        env.submit(
                plan(test("needs-gpu").withTagsAndResources(Set.of("gpu"), Set.of()), test("fine")))
            .getFirst();
    env.advance(Duration.ofSeconds(4));
    assertThat(env.task(job, 0).status()).isEqualTo(TaskStatus.QUEUED);
    env.advance(Duration.ofSeconds(2));
    TaskResult t = env.task(job, 0);
    assertThat(t.status()).isEqualTo(TaskStatus.ERROR);
    assertThat(t.reason().orElseThrow())
        .contains("no registered worker")
        .contains("gpu")
        .contains("w1");
    assertThat(t.attempts()).isEmpty();
    runToEnd();
    assertThat(env.task(job, 1).status()).isEqualTo(TaskStatus.PASSED);
  }

  @Test
  void aWorkerJoiningWithinTheGracePeriodServesTheTask() {
    JobId job = env.submit(plan(test("a"))).getFirst();
    env.advance(Duration.ofSeconds(3));
    env.addWorkers(ScriptedWorker.of("late", "lab", "linux"));
    runToEnd();
    assertThat(env.task(job, 0).status()).isEqualTo(TaskStatus.PASSED);
  }

  @Test
  void aWorkerThatDiesMidTaskHasItsTaskRetriedOnAnother() {
    env.addWorkers(
        ScriptedWorker.of("a", "lab", "linux").on("t", Behavior.die()),
        ScriptedWorker.of("b", "lab", "linux"));
    JobId job = env.submit(plan(test("t"))).getFirst();
    runToEnd();
    TaskResult t = env.task(job, 0);
    assertThat(t.status()).isEqualTo(TaskStatus.PASSED);
    assertThat(t.attempts()).extracting(AttemptRecord::workerId).containsExactly("a", "b");
    assertThat(t.attempts().getFirst().end()).contains(AttemptEnd.WORKER_LOST);
    assertThat(env.core().workers())
        .filteredOn(w -> w.descriptor().id().equals("a"))
        .singleElement()
        .extracting(w -> w.state())
        .isEqualTo(WorkerState.OFFLINE);
  }

  @Test
  void aHungTestPastItsTimeoutIsAbortedAndRetried() {
    env.addWorkers(
        ScriptedWorker.of("a", "lab", "linux").on("t", Behavior.hang(), Behavior.pass()),
        ScriptedWorker.of("b", "lab", "linux"));
    JobId job = env.submit(plan(test("t").withTimeout(Duration.ofSeconds(5)))).getFirst();
    env.advance(Duration.ofSeconds(24));
    assertThat(env.task(job, 0).attempts())
        .as("the lease: the 5 s timeout, the 10 s cancel grace and the 10 s lease grace")
        .hasSize(1);
    env.advance(Duration.ofSeconds(2));
    TaskResult afterDeadline = env.task(job, 0);
    assertThat(afterDeadline.attempts().getFirst().end()).contains(AttemptEnd.TIMEOUT);
    assertThat(env.worker("a").aborts()).hasSize(1);
    runToEnd();
    assertThat(env.task(job, 0).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(env.task(job, 0).attempts())
        .extracting(AttemptRecord::workerId)
        .containsExactly("a", "b");
  }

  @Test
  void aWorkerThatGoesSilentIsLostByHeartbeatAndItsTaskMoves() {
    env.addWorkers(
        ScriptedWorker.of("a", "lab", "linux").on("t", Behavior.hang()),
        ScriptedWorker.of("b", "lab", "linux").on("other", Behavior.pass(Duration.ofSeconds(1))));
    JobId job = env.submit(plan(test("t").withTimeout(Duration.ofMinutes(10)))).getFirst();
    env.worker("a").goSilent();
    env.advance(Duration.ofSeconds(50));
    TaskResult t = env.task(job, 0);
    assertThat(t.attempts().getFirst().end()).contains(AttemptEnd.WORKER_LOST);
    assertThat(t.attempts().getFirst().reason().orElseThrow()).contains("no heartbeat");
    runToEnd();
    assertThat(env.task(job, 0).status()).isEqualTo(TaskStatus.PASSED);
  }

  @Test
  void threeFailuresToRunMakeAnErrorAndNoFourthAttempt() {
    env.addWorkers(
        ScriptedWorker.of("a", "lab", "linux").otherwise(Behavior.engineError()),
        ScriptedWorker.of("b", "lab", "linux").otherwise(Behavior.engineError()),
        ScriptedWorker.of("c", "lab", "linux").otherwise(Behavior.engineError()),
        ScriptedWorker.of("d", "lab", "linux").otherwise(Behavior.engineError()));
    JobId job = env.submit(plan(test("t"))).getFirst();
    runToEnd();
    TaskResult t = env.task(job, 0);
    assertThat(t.status()).isEqualTo(TaskStatus.ERROR);
    assertThat(t.attempts()).hasSize(3);
    assertThat(t.attempts()).extracting(AttemptRecord::workerId).doesNotHaveDuplicates();
    assertThat(t.reason().orElseThrow()).contains("3 attempts").contains("scripted engine error");
  }

  @Test
  void aRetryWaitsForAnotherWorkerRatherThanReturnToTheOneThatFailedIt() {
    env.addWorkers(
        ScriptedWorker.of("a", "lab", "linux").on("t", Behavior.engineError()),
        ScriptedWorker.of("b", "lab", "linux").on("long", Behavior.pass(Duration.ofSeconds(10))));
    JobId job = env.submit(plan(test("t"), test("long"))).getFirst();
    runToEnd();
    TaskResult t = env.task(job, 0);
    assertThat(t.status()).isEqualTo(TaskStatus.PASSED);
    assertThat(t.attempts()).extracting(AttemptRecord::workerId).containsExactly("a", "b");
  }

  @Test
  void aFailedTestIsNeverRetried() {
    env.addWorkers(
        ScriptedWorker.of("a", "lab", "linux")
            .on("t", Behavior.fail(Duration.ofSeconds(1), "case")),
        ScriptedWorker.of("b", "lab", "linux"));
    JobId job = env.submit(plan(test("t"))).getFirst();
    runToEnd();
    TaskResult t = env.task(job, 0);
    assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(t.attempts()).hasSize(1);
    assertThat(t.cases()).extracting(TestCaseResult::status).containsExactly(CaseStatus.FAILED);
  }

  @Test
  void aLateResultFromAnOlderAttemptIsFencedOff() {
    env.addWorkers(
        ScriptedWorker.of("a", "lab", "linux").on("t", Behavior.die()),
        ScriptedWorker.of("b", "lab", "linux")
            .on("t", Behavior.pass(Duration.ofSeconds(10), "real")));
    JobId job = env.submit(plan(test("t"))).getFirst();
    env.advance(Duration.ofSeconds(2));
    long oldToken = env.worker("a").dispatched().getFirst().fencingToken();
    assertThat(env.worker("b").dispatched()).hasSize(1);
    env.worker("a")
        .sendResult(
            oldToken,
            new AttemptReport(
                0,
                List.of(TestCaseResult.of("forged", CaseStatus.PASSED)),
                Optional.empty(),
                Duration.ZERO));
    env.runUntilIdle();
    assertThat(env.task(job, 0).status()).isNotEqualTo(TaskStatus.PASSED);
    assertThat(env.events(ProteusEvent.Ignored.class))
        .anySatisfy(e -> assertThat(e.what()).contains("stale token " + oldToken));
    runToEnd();
    TaskResult t = env.task(job, 0);
    assertThat(t.status()).isEqualTo(TaskStatus.PASSED);
    assertThat(t.cases()).extracting(TestCaseResult::name).containsExactly("real");
  }

  @Test
  void cancellingAJobCancelsQueuedTasksAbortsRunningOnesAndKeepsPartialResults() {
    env.addWorkers(
        ScriptedWorker.of("a", "lab", "linux")
            .on("slow", Behavior.hang())
            .on("quick", Behavior.pass(Duration.ofSeconds(1))));
    JobId job = env.submit(plan(test("quick"), test("slow"), test("never"))).getFirst();
    env.advance(Duration.ofSeconds(3));
    assertThat(env.task(job, 0).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(env.task(job, 1).status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(env.core().cancel(job)).isTrue();
    env.runUntilIdle();
    assertThat(env.job(job).status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(env.job(job).tasks())
        .extracting(TaskResult::status)
        .containsExactly(TaskStatus.PASSED, TaskStatus.CANCELLED, TaskStatus.CANCELLED);
    assertThat(env.worker("a").aborts()).hasSize(1);
    assertThat(env.core().completion(job)).isCompleted();
  }

  @Test
  void aWorkerFailingRepeatedlyIsQuarantined() {
    env.addWorkers(ScriptedWorker.of("bad", "lab", "linux").otherwise(Behavior.reject()));
    List<TestSpec> tests = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tests.add(test("t" + i));
    }
    env.submit(plan(tests.toArray(TestSpec[]::new)));
    env.advance(Duration.ofSeconds(1));
    assertThat(env.core().workers().getFirst().state()).isEqualTo(WorkerState.QUARANTINED);
    // t0 and t1 use their three attempts on the only worker; t2's first failure makes three tasks
    assertThat(env.worker("bad").dispatched())
        .extracting(d -> d.test().name())
        .containsExactly("t0", "t0", "t0", "t1", "t1", "t1", "t2");
    env.addWorkers(ScriptedWorker.of("good", "lab", "linux"));
    runToEnd();
    assertThat(env.worker("bad").dispatched()).hasSize(7);
    assertThat(env.core().jobs().getFirst().tasks().get(2).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(env.core().jobs().getFirst().tasks())
        .filteredOn(t -> t.status() == TaskStatus.PASSED)
        .allSatisfy(t -> assertThat(t.attempts().getLast().workerId()).isEqualTo("good"));
  }

  @Test
  void aJobIsStoredBeforeSubmitReturns() {
    env.addWorkers(ScriptedWorker.of("a", "lab", "linux"));
    List<JobId> ids =
        env.core()
            .submit(
                new io.proteus.model.Build(
                    "b",
                    List.of(plan(test("t"))),
                    io.proteus.spi.BuildFiles.NONE,
                    io.proteus.spi.Reservation.NONE));
    assertThat(env.store().find(ids.getFirst())).isPresent();
    runToEnd();
  }

  @Test
  void jobChangesReachTheStoreInBatches() {
    for (int i = 0; i < 20; i++) {
      env.addWorkers(ScriptedWorker.of("w" + i, "lab", "linux"));
    }
    long before = env.store().saves();
    JobId id =
        env.submit(
                plan(
                    java.util.stream.IntStream.range(0, 20)
                        .mapToObj(i -> test("t" + i))
                        .toList()
                        .toArray(new TestSpec[0])))
            .getFirst();
    runToEnd();
    long changes = env.events(ProteusEvent.TaskChanged.class).size();
    long saves = env.store().saves() - before;
    assertThat(env.store().find(id)).contains(env.core().job(id).orElseThrow());
    assertThat(env.store().find(id).orElseThrow().allPassed()).isTrue();
    assertThat(saves).isGreaterThanOrEqualTo(2).isLessThan(changes / 4);
  }
}
