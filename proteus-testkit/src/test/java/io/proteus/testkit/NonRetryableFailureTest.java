package io.proteus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.JobId;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerState;
import io.proteus.spi.FailureKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A failure no other attempt could get past ends the task at once and blames no worker. */
class NonRetryableFailureTest {
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

  @Test
  void aPolicyRefusalIsOneAttemptAndErrorWithTheReason() {
    env.addWorkers(
        ScriptedWorker.of("a", "lab", "linux")
            .on("t", Behavior.refuse(FailureKind.POLICY_REFUSED, "image evil:1 is not allowed")),
        ScriptedWorker.of("b", "lab", "linux"));
    JobId job = env.submit(plan("t")).getFirst();
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(5));
    TaskResult t = env.job(job).tasks().getFirst();
    assertThat(t.status()).isEqualTo(TaskStatus.ERROR);
    assertThat(t.attempts()).hasSize(1);
    assertThat(t.reason().orElseThrow())
        .contains("not retried")
        .contains("image evil:1 is not allowed");
  }

  @Test
  void nonRetryableFailuresNeverQuarantineTheWorker() {
    ScriptedWorker only =
        ScriptedWorker.of("only", "lab", "linux")
            .otherwise(Behavior.refuse(FailureKind.BAD_BUILD, "the build has no file 'bin/x'"));
    env.addWorkers(only);
    JobId job = env.submit(plan("a", "b", "c", "d")).getFirst();
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(5));
    assertThat(env.job(job).tasks())
        .allSatisfy(t -> {
          assertThat(t.status()).isEqualTo(TaskStatus.ERROR);
          assertThat(t.attempts()).hasSize(1);
        });
    assertThat(env.core().workers().getFirst().state()).isEqualTo(WorkerState.IDLE);
  }
}
