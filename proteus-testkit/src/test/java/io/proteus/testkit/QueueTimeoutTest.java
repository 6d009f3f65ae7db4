package io.proteus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.JobId;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.spi.DispatchRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The queue-wait deadline, on a fake clock: a task no worker started in time ends without running;
 * a retry waits anew. And the defaults the core sends with each dispatch.
 */
class QueueTimeoutTest {
  ProteusTestEnvironment env;

  ProteusTestEnvironment env(Consumer<io.proteus.core.ProteusCoreBuilder> customize) {
    env =
        ProteusTestEnvironment.create(b -> customize.accept(b.defaultTimeout(Duration.ofHours(1))));
    return env;
  }

  @AfterEach
  void checkRulesAndClose() {
    if (env != null) {
      NothingLost.check(env);
      env.close();
    }
  }

  static TestSpec.Builder test(String name) {
    return TestSpec.builder(name, "bin/" + name);
  }

  static TestPlan plan(TestSpec... tests) {
    return new TestPlan("plan", "1", List.of("linux"), "lab", Optional.empty(), List.of(tests));
  }

  TaskResult task(JobId job, int index) {
    return env.task(job, index);
  }

  @Test
  void aTaskNobodyStartsInTimeEndsWithoutRunningAndSaysHowLongItWaited() {
    env(b -> {});
    env.addWorkers(
        ScriptedWorker.of("w", "lab", "linux").otherwise(Behavior.pass(Duration.ofMinutes(10))));
    JobId job =
        env.submit(
                plan(
                    test("busy").build(),
                    test("waits").queueTimeout(Optional.of(Duration.ofMinutes(1))).build()))
            .getFirst();
    env.advance(Duration.ofSeconds(59));
    assertThat(task(job, 1).status()).isEqualTo(TaskStatus.QUEUED);
    env.advance(Duration.ofSeconds(1));
    TaskResult waited = task(job, 1);
    assertThat(waited.status()).isEqualTo(TaskStatus.ERROR);
    assertThat(waited.attempts()).isEmpty();
    assertThat(waited.reason())
        .contains(
            "no worker started it within its queue timeout of 60s: it waited 60s in the queue;"
                + " not retried");
    assertThat(task(job, 0).status()).isEqualTo(TaskStatus.RUNNING);
    env.advanceUntilDone(Duration.ofSeconds(10), Duration.ofMinutes(30));
    assertThat(task(job, 0).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(env.worker("w").dispatched())
        .extracting(r -> r.test().name())
        .containsExactly("busy");
  }

  @Test
  void theCoreDefaultAppliesToTestsThatSetNoneAndATestsOwnWins() {
    env(b -> b.queueTimeout(Duration.ofSeconds(30)));
    env.addWorkers(
        ScriptedWorker.of("w", "lab", "linux").otherwise(Behavior.pass(Duration.ofMinutes(10))));
    JobId job =
        env.submit(
                plan(
                    test("busy").build(),
                    test("default").build(),
                    test("own").queueTimeout(Optional.of(Duration.ofMinutes(5))).build()))
            .getFirst();
    env.advance(Duration.ofSeconds(31));
    assertThat(task(job, 1).status()).isEqualTo(TaskStatus.ERROR);
    assertThat(task(job, 1).reason().orElseThrow()).contains("queue timeout of 30s");
    assertThat(task(job, 2).status()).isEqualTo(TaskStatus.QUEUED);
    env.advance(Duration.ofMinutes(5));
    assertThat(task(job, 2).status()).isEqualTo(TaskStatus.ERROR);
    assertThat(task(job, 2).reason().orElseThrow()).contains("queue timeout of 300s");
    env.advanceUntilDone(Duration.ofSeconds(10), Duration.ofMinutes(30));
  }

  @Test
  void aTaskStartedBeforeItsDeadlineRunsToItsEnd() {
    env(b -> b.queueTimeout(Duration.ofSeconds(5)));
    env.addWorkers(
        ScriptedWorker.of("w", "lab", "linux").otherwise(Behavior.pass(Duration.ofMinutes(2))));
    JobId job = env.submit(plan(test("a").build())).getFirst();
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(10));
    assertThat(task(job, 0).status()).isEqualTo(TaskStatus.PASSED);
  }

  @Test
  void aRetrysWaitCountsFromWhenItWasQueuedAgain() {
    env(b -> {});
    env.addWorkers(
        ScriptedWorker.of("tagged", "lab", "linux", Set.of("a"), null)
            .otherwise(Behavior.pass(Duration.ofMinutes(10))),
        ScriptedWorker.of("plain", "lab", "linux")
            .on("flaky", new Behavior.EngineError(Duration.ofSeconds(50), "boom")));
    JobId job =
        env.submit(
                plan(
                    test("busy").tags(Set.of("a")).build(),
                    test("flaky").queueTimeout(Optional.of(Duration.ofMinutes(1))).build()))
            .getFirst();
    env.advance(Duration.ofSeconds(51));
    assertThat(task(job, 1).status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(task(job, 1).attempts()).hasSize(1);
    env.advance(Duration.ofSeconds(55));
    assertThat(task(job, 1).status())
        .as("60 s from the re-queue, not from the submission")
        .isEqualTo(TaskStatus.QUEUED);
    env.advance(Duration.ofSeconds(5));
    assertThat(task(job, 1).status()).isEqualTo(TaskStatus.ERROR);
    assertThat(task(job, 1).reason().orElseThrow()).contains("it waited 60s in the queue");
    env.advanceUntilDone(Duration.ofSeconds(10), Duration.ofMinutes(30));
  }

  @Test
  void aCancelledTaskLeavesNoDeadlineBehind() {
    env(b -> b.queueTimeout(Duration.ofSeconds(30)));
    env.addWorkers(
        ScriptedWorker.of("w", "lab", "linux").otherwise(Behavior.pass(Duration.ofMinutes(10))));
    JobId job = env.submit(plan(test("busy").build(), test("queued").build())).getFirst();
    env.core().cancel(job);
    env.runUntilIdle();
    env.advance(Duration.ofMinutes(1));
    assertThat(task(job, 1).status()).isEqualTo(TaskStatus.CANCELLED);
  }

  @Test
  void eachDispatchCarriesTheCoreDefaultsTheAgentEnforces() {
    env(b -> b.noOutputTimeout(Duration.ofSeconds(45)).cancelGrace(Duration.ofSeconds(3)));
    env.addWorkers(ScriptedWorker.of("w", "lab", "linux"));
    env.submit(
        plan(
            test("defaults").build(),
            test("own")
                .noOutputTimeout(Optional.of(Duration.ofSeconds(7)))
                .cancelGrace(Optional.of(Duration.ZERO))
                .build()));
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(10));
    List<DispatchRequest> sent = env.worker("w").dispatched();
    assertThat(sent.get(0).test().noOutputTimeout()).contains(Duration.ofSeconds(45));
    assertThat(sent.get(0).test().cancelGrace()).contains(Duration.ofSeconds(3));
    assertThat(sent.get(1).test().noOutputTimeout()).contains(Duration.ofSeconds(7));
    assertThat(sent.get(1).test().cancelGrace()).contains(Duration.ZERO);
  }

  @Test
  void theLeaseOfAnAttemptCoversItsCancelGrace() {
    env(b -> b.cancelGrace(Duration.ofSeconds(20)).defaultTimeout(Duration.ofMinutes(1)));
    env.addWorkers(ScriptedWorker.of("w", "lab", "linux").otherwise(Behavior.hang()));
    JobId job = env.submit(plan(test("hangs").build())).getFirst();
    env.advance(Duration.ofSeconds(89));
    assertThat(task(job, 0).attempts().getFirst().reason()).isEmpty();
    env.advance(Duration.ofSeconds(1));
    assertThat(task(job, 0).attempts().getFirst().reason()).contains("no result within 90s");
    env.advanceUntilDone(Duration.ofSeconds(10), Duration.ofMinutes(30));
  }

  @Test
  void badCoreSettingsAreRefusedByName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            io.proteus.core.ProteusCore.builder().queueTimeout(Duration.ZERO).steppedLoop().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queueTimeout must be positive: PT0S");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> io.proteus.core.ProteusCore.builder().noOutputTimeout(Duration.ofDays(8)).build())
        .hasMessage("noOutputTimeout must be at most 7 days: PT192H");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> io.proteus.core.ProteusCore.builder().cancelGrace(Duration.ofSeconds(-1)).build())
        .hasMessage("cancelGrace must be from 0 to 1 hour: PT-1S");
  }
}
