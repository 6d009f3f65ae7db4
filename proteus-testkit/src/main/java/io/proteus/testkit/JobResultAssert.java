package io.proteus.testkit;

import io.proteus.model.JobResult;
import io.proteus.model.JobStatus;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/** Fluent assertions on a {@link JobResult}; failures list every task and how it ended. */
public final class JobResultAssert extends AbstractAssert<JobResultAssert, JobResult> {

  JobResultAssert(JobResult actual) {
    super(actual, JobResultAssert.class);
  }

  /** The job ended with every task final, not cancelled. */
  public JobResultAssert isCompleted() {
    return hasStatus(JobStatus.COMPLETED);
  }

  /** The job was cancelled. */
  public JobResultAssert isCancelled() {
    return hasStatus(JobStatus.CANCELLED);
  }

  /** The job has this status. */
  public JobResultAssert hasStatus(JobStatus status) {
    isNotNull();
    if (actual.status() != status) {
      failWithMessage(
          "Expected job %s to be %s but it is %s.%n%s",
          actual.id(), status, actual.status(), describe(actual));
    }
    return this;
  }

  /** Every task passed. */
  public JobResultAssert allPassed() {
    isNotNull();
    if (!actual.allPassed()) {
      failWithMessage(
          "Expected every task of job %s to pass, but:%n%s", actual.id(), describe(actual));
    }
    return this;
  }

  /** The job has exactly these counts of final statuses. */
  public JobResultAssert hasCounts(long passed, long failed, long error, long cancelled) {
    isNotNull();
    long[] got = {
      actual.count(TaskStatus.PASSED),
      actual.count(TaskStatus.FAILED),
      actual.count(TaskStatus.ERROR),
      actual.count(TaskStatus.CANCELLED)
    };
    if (got[0] != passed || got[1] != failed || got[2] != error || got[3] != cancelled) {
      failWithMessage(
          "Expected job %s to have passed=%d failed=%d error=%d cancelled=%d but had passed=%d failed=%d error=%d cancelled=%d.%n%s",
          actual.id(),
          passed,
          failed,
          error,
          cancelled,
          got[0],
          got[1],
          got[2],
          got[3],
          describe(actual));
    }
    return this;
  }

  /** Assertions on the task running the test named {@code testName}. */
  public TaskResultAssert task(String testName) {
    isNotNull();
    return actual.tasks().stream()
        .filter(t -> t.testName().equals(testName))
        .findFirst()
        .map(TaskResultAssert::new)
        .orElseGet(() -> {
          failWithMessage(
              "Job %s has no task for test '%s'; it has %s",
              actual.id(), testName, actual.tasks().stream().map(TaskResult::testName).toList());
          throw new AssertionError("unreachable");
        });
  }

  static String describe(JobResult job) {
    return job.tasks().stream()
        .map(t -> "  " + TaskResultAssert.describe(t))
        .collect(Collectors.joining("\n"));
  }
}
