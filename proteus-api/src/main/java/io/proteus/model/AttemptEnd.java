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
  CANCELLED,
  /**
   * The worker drained and its deadline passed before the attempt ended: the attempt was aborted
   * and the task queued again to run elsewhere. Not a failure: it uses up none of the task's
   * attempts and does not count against the worker.
   */
  HANDED_BACK;

  /**
   * Whether an attempt that ended so failed to run and may be retried. {@link #HANDED_BACK} is not
   * a failure (the task runs again without using up an attempt).
   */
  public boolean retryable() {
    return this == REJECTED || this == ENGINE_ERROR || this == TIMEOUT || this == WORKER_LOST;
  }
}
