package io.proteus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.JobResult;
import io.proteus.model.TaskId;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.spi.JobStore;
import io.proteus.spi.ProteusEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks the seven "nothing lost" rules of the design against an environment. */
final class NothingLost {
  private NothingLost() {}

  /** Rule 7, at any instant: every accepted task is in exactly one bucket. */
  static void accountingHolds(ProteusTestEnvironment env) {
    Map<TaskStatus, Long> c = env.counts();
    long accepted = env.core().jobs().stream().mapToLong(j -> j.tasks().size()).sum();
    long inFlight =
        c.get(TaskStatus.DISPATCHED)
            + c.get(TaskStatus.LOADING)
            + c.get(TaskStatus.RUNNING)
            + c.get(TaskStatus.UPLOADING);
    assertThat(
            c.get(TaskStatus.PASSED)
                + c.get(TaskStatus.FAILED)
                + c.get(TaskStatus.ERROR)
                + c.get(TaskStatus.CANCELLED)
                + c.get(TaskStatus.QUEUED)
                + inFlight)
        .as("accepted = passed + failed + error + cancelled + queued + in flight")
        .isEqualTo(accepted);
  }

  /** All seven rules, once every job is over. */
  static void check(ProteusTestEnvironment env) {
    accountingHolds(env);
    List<JobResult> jobs = env.core().jobs();
    Map<TaskId, Integer> finals = new HashMap<>();
    for (ProteusEvent.TaskChanged e : env.events(ProteusEvent.TaskChanged.class)) {
      if (e.to().isFinal()) {
        finals.merge(e.task(), 1, Integer::sum);
      }
      if (e.to() == TaskStatus.LOADING || e.to() == TaskStatus.RUNNING) {
        assertThat(e.from())
            .as("rule 5: %s runs only after its dispatch was accepted", e.task())
            .isNotEqualTo(TaskStatus.QUEUED);
      }
    }
    for (JobResult job : jobs) {
      assertThat(env.store().find(job.id())).as("rule 1: job %s is stored", job.id()).isPresent();
      assertThat(job.status().isFinal()).as("job %s is over", job.id()).isTrue();
      assertThat(env.store().list(JobStore.JobList.ARCHIVE))
          .extracting(JobResult::id)
          .contains(job.id());
      for (TaskResult t : job.tasks()) {
        assertThat(t.status().isFinal())
            .as("rule 2: %s (%s) is final", t.id(), t.testName())
            .isTrue();
        assertThat(finals.getOrDefault(t.id(), 0))
            .as("rule 2: %s reached exactly one final state", t.id())
            .isEqualTo(1);
        assertThat(
                t.attempts().stream()
                    .filter(a -> !a.end().equals(Optional.of(AttemptEnd.HANDED_BACK)))
                    .count())
            .as("rule 3: %s has at most 3 attempts besides those handed back", t.id())
            .isLessThanOrEqualTo(3);
        List<AttemptRecord> attempts = t.attempts();
        for (int i = 0; i < attempts.size() - 1; i++) {
          AttemptEnd end = attempts.get(i).end().orElseThrow();
          assertThat(end.retryable() || end == AttemptEnd.HANDED_BACK)
              .as(
                  "rule 3: attempt %d of %s was retried only because it could not run or was"
                      + " handed back",
                  i + 1, t.id())
              .isTrue();
        }
        assertThat(
                attempts.stream()
                    .filter(a -> a.end().equals(java.util.Optional.of(AttemptEnd.COMPLETED)))
                    .count())
            .as("rule 4: at most one result accepted for %s", t.id())
            .isLessThanOrEqualTo(1);
        assertThat(attempts.stream().map(AttemptRecord::fencingToken).distinct().count())
            .isEqualTo(attempts.size());
      }
    }
    assertThat(env.store().outbox())
        .as("rule 6: every finished job was delivered through the outbox")
        .isEmpty();
  }
}
