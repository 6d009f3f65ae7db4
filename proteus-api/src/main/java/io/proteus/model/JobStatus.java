package io.proteus.model;

/** Where a job is in its life. */
public enum JobStatus {
  /** Stored, no task has been dispatched yet. */
  PENDING,
  /** At least one task has been dispatched and not every task is final. */
  ACTIVE,
  /** Every task is final. */
  COMPLETED,
  /** The job was cancelled; its tasks are final. */
  CANCELLED;

  /** Whether the job is over. */
  public boolean isFinal() {
    return this == COMPLETED || this == CANCELLED;
  }
}
