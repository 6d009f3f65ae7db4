package io.proteus.model;

import java.util.Optional;

/**
 * A worker as the core sees it now.
 *
 * @param descriptor what it is and offers
 * @param state where it is in its life
 * @param task the task it holds, if any
 * @param tasksRun how many tasks it has been given
 * @param quarantine why, since when and by whom it is quarantined, while it is {@link
 *     WorkerState#QUARANTINED}
 */
public record WorkerStatus(
    WorkerDescriptor descriptor,
    WorkerState state,
    Optional<TaskId> task,
    long tasksRun,
    Optional<Quarantine> quarantine) {

  /** A worker that is not quarantined. */
  public WorkerStatus(
      WorkerDescriptor descriptor, WorkerState state, Optional<TaskId> task, long tasksRun) {
    this(descriptor, state, task, tasksRun, Optional.empty());
  }
}
