package io.proteus.model;

import io.proteus.internal.PersistentList;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A job's state and its tasks; once the job is final, the result set handed to its adapter.
 *
 * @param id the job's id
 * @param adapter the adapter the job came from
 * @param buildId the build it belongs to
 * @param plan the plan it runs
 * @param platform the platform its tasks run on
 * @param status its status
 * @param tasks its tasks in plan order
 * @param submitted when it was submitted
 * @param finished when it became final
 */
public record JobResult(
    JobId id,
    String adapter,
    String buildId,
    TestPlan plan,
    String platform,
    JobStatus status,
    List<TaskResult> tasks,
    Instant submitted,
    Optional<Instant> finished) {

  /** Copies the tasks, unless they are already an immutable list the core published. */
  public JobResult {
    tasks = tasks instanceof PersistentList<TaskResult> p ? p : List.copyOf(tasks);
  }

  /** How many tasks have this status. */
  public long count(TaskStatus status) {
    return tasks.stream().filter(t -> t.status() == status).count();
  }

  /** Whether every task passed. */
  public boolean allPassed() {
    return count(TaskStatus.PASSED) == tasks.size();
  }
}
