package io.proteus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.ProteusException;
import io.proteus.model.JobId;
import io.proteus.model.Quarantine;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerState;
import io.proteus.model.WorkerStatus;
import io.proteus.spi.ProteusEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Quarantine says why, when and who; release puts the worker back to work. */
class QuarantineTest {
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

  WorkerStatus status(String id) {
    return env.core().workers().stream()
        .filter(w -> w.descriptor().id().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theCoreQuarantinesAfterRepeatedFailuresAndSaysWhyWhenAndWho() {
    env.addWorkers(ScriptedWorker.of("bad", "lab", "linux").otherwise(Behavior.reject()));
    env.submit(plan("t0", "t1", "t2"));
    env.advance(Duration.ofSeconds(1));
    WorkerStatus bad = status("bad");
    assertThat(bad.state()).isEqualTo(WorkerState.QUARANTINED);
    Quarantine q = bad.quarantine().orElseThrow();
    assertThat(q.by()).isEqualTo(Quarantine.Decider.CORE);
    assertThat(q.reason()).contains("3 tasks in a row could not run on it");
    assertThat(q.at()).isEqualTo(env.clock().instant().minusSeconds(1));
    assertThat(env.events(ProteusEvent.WorkerQuarantined.class))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.worker()).isEqualTo("bad");
          assertThat(e.quarantine()).isEqualTo(q);
        });
    env.addWorkers(ScriptedWorker.of("good", "lab", "linux"));
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(5));
  }

  @Test
  void anOperatorQuarantinesAnIdleWorkerAtOnceAndReleasesIt() {
    env.addWorkers(ScriptedWorker.of("w1", "lab", "linux"));
    env.runUntilIdle();
    assertThat(env.core().quarantine("w1", "disk is flaky")).isTrue();
    env.runUntilIdle();
    assertThat(env.core().quarantine("w1", "again")).isFalse();
    WorkerStatus w = status("w1");
    assertThat(w.state()).isEqualTo(WorkerState.QUARANTINED);
    assertThat(w.quarantine())
        .contains(
            new Quarantine("disk is flaky", env.clock().instant(), Quarantine.Decider.OPERATOR));
    JobId job = env.submit(plan("t")).getFirst();
    env.advance(Duration.ofSeconds(2));
    assertThat(env.worker("w1").dispatched()).isEmpty();

    assertThat(env.core().release("w1")).isTrue();
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(1));
    assertThat(env.task(job, 0).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(status("w1").quarantine()).isEmpty();
    assertThat(env.core().release("w1")).isFalse();
    assertThat(env.events(ProteusEvent.WorkerReleased.class))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.worker()).isEqualTo("w1");
          assertThat(e.by()).isEqualTo(Quarantine.Decider.OPERATOR);
          assertThat(e.was().reason()).isEqualTo("disk is flaky");
        });
  }

  @Test
  void aBusyWorkerFinishesItsTaskBeforeItsQuarantine() {
    env.addWorkers(
        ScriptedWorker.of("w1", "lab", "linux").otherwise(Behavior.pass(Duration.ofSeconds(3))));
    JobId job = env.submit(plan("t1", "t2")).getFirst();
    env.runUntilIdle();
    env.core().quarantine("w1", "maintenance");
    env.runUntilIdle();
    assertThat(status("w1").state()).isEqualTo(WorkerState.BUSY);
    assertThat(env.events(ProteusEvent.WorkerQuarantined.class)).isEmpty();
    env.advance(Duration.ofSeconds(4));
    assertThat(status("w1").state()).isEqualTo(WorkerState.QUARANTINED);
    assertThat(env.task(job, 0).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(env.task(job, 1).status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(env.events(ProteusEvent.WorkerQuarantined.class)).hasSize(1);
    env.core().lift("w1");
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(1));
    assertThat(env.task(job, 1).status()).isEqualTo(TaskStatus.PASSED);
  }

  @Test
  void anUnknownWorkerIsRefused() {
    assertThatThrownBy(() -> env.core().quarantine("nobody", "x"))
        .isInstanceOf(ProteusException.class)
        .hasMessageContaining("nobody");
    assertThatThrownBy(() -> env.core().release("nobody")).isInstanceOf(ProteusException.class);
    assertThatThrownBy(() -> env.core().drain("nobody", Duration.ZERO))
        .isInstanceOf(ProteusException.class);
  }
}
