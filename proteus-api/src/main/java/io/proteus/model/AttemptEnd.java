package io.proteus.model;

/** How one attempt at a task ended. Only {@link #COMPLETED} means the test ran. */
public enum AttemptEnd {
  /** The test ran and its results arrived. */
  COMPLETED,
  /** The worker refused the task. Retried. */
  REJECTED,
  /** The engine could not run the task. Retried. */
  ENGINE_ERROR,
  /** The attempt ran past its timeout and was killed. Retried. */
  TIMEOUT,
  /** The worker vanished while it held the task. Retried. */
  WORKER_LOST,
  /** The task was cancelled while this attempt was live. */
  CANCELLED;

  /** Whether an attempt that ended so may be retried. */
  public boolean retryable() {
    return this == REJECTED || this == ENGINE_ERROR || this == TIMEOUT || this == WORKER_LOST;
  }
}
