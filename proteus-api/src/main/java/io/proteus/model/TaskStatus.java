package io.proteus.model;

/** Where a task is in its life. The last four are final: a task reaches exactly one of them. */
public enum TaskStatus {
  /** Waiting for a worker. */
  QUEUED,
  /** Sent to a worker whose accept has not yet reached the core. */
  DISPATCHED,
  /** Accepted by a worker, which is staging its files. */
  LOADING,
  /** Running on a worker. */
  RUNNING,
  /** Finished running; the worker is sending its results. */
  UPLOADING,
  /** Ran, and every expectation reported and passed. */
  PASSED,
  /** Ran, and a test case failed or an expectation did not report. Never retried. */
  FAILED,
  /** Could not run in 3 attempts, or no worker could ever serve it. */
  ERROR,
  /** Cancelled before it finished. */
  CANCELLED;

  /** Whether this status is final. */
  public boolean isFinal() {
    return this == PASSED || this == FAILED || this == ERROR || this == CANCELLED;
  }

  /** Whether a worker holds the task in this status (the accept has reached the core). */
  public boolean isInFlight() {
    return this == LOADING || this == RUNNING || this == UPLOADING;
  }
}
