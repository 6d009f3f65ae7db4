package io.proteus.spi;

import io.proteus.model.Requirements;
import io.proteus.model.TaskId;
import io.proteus.model.WorkerDescriptor;
import java.time.Instant;
import java.util.List;

/**
 * A choice a pool makes: which idle worker gets a task. Every candidate can serve it; the core has
 * already put workers scoped to the task's topic ahead of generic ones by offering only the better
 * tier.
 *
 * @param task the task
 * @param requirements what it needs
 * @param candidates the idle workers that can run it; never empty
 */
public record PoolChoice(TaskId task, Requirements requirements, List<Candidate> candidates) {

  /** Copies the candidates. */
  public PoolChoice {
    candidates = List.copyOf(candidates);
  }

  /**
   * A worker that could take the task.
   *
   * @param worker the worker
   * @param lastAssigned when it last got a task ({@link Instant#MIN} if never)
   * @param tasksRun how many tasks it has been given
   * @param failedThisTask whether an earlier attempt at this task failed on it
   */
  public record Candidate(
      WorkerDescriptor worker, Instant lastAssigned, long tasksRun, boolean failedThisTask) {}
}
