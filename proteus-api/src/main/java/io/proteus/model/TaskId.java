package io.proteus.model;

/**
 * A task's id: its job and its index in the plan's test list.
 *
 * @param job the job
 * @param index the test's position in the plan, from 0
 */
public record TaskId(JobId job, int index) {
  @Override
  public String toString() {
    return job.value() + "/" + index;
  }
}
