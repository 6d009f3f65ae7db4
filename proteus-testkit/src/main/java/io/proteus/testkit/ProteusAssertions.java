package io.proteus.testkit;

import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;

/**
 * Entry points for fluent assertions on Proteus results, in AssertJ's style. Needs {@code
 * org.assertj:assertj-core} on the test class path (the testkit declares it optional).
 *
 * <pre>{@code
 * assertThat(env.job(id)).isCompleted().task("boot").passed().ranOn("w2").hasAttempts(2);
 * }</pre>
 */
public final class ProteusAssertions {
  private ProteusAssertions() {}

  /** Assertions on a job. */
  public static JobResultAssert assertThat(JobResult actual) {
    return new JobResultAssert(actual);
  }

  /** Assertions on a task. */
  public static TaskResultAssert assertThat(TaskResult actual) {
    return new TaskResultAssert(actual);
  }
}
