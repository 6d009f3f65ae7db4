package io.proteus.core.internal.task;

import io.proteus.model.AttemptEnd;
import io.proteus.model.TaskStatus;

/** What can happen to a task. Events about an attempt carry its fencing token. */
public sealed interface TaskEvent {

  /** The router sent the task to a worker as a new attempt. */
  record Dispatch(Attempt attempt) implements TaskEvent {}

  /** The worker's accept arrived. */
  record Accept(long token) implements TaskEvent {}

  /** The worker began running it. */
  record Start(long token) implements TaskEvent {}

  /** The worker finished running it and is sending results. */
  record Upload(long token) implements TaskEvent {}

  /** Results arrived and were judged: {@code verdict} is PASSED or FAILED. */
  record Complete(long token, TaskStatus verdict, String reason) implements TaskEvent {
    public Complete {
      if (verdict != TaskStatus.PASSED && verdict != TaskStatus.FAILED) {
        throw new IllegalArgumentException("a verdict is PASSED or FAILED: " + verdict);
      }
    }
  }

  /**
   * The attempt could not run: rejected, engine error, timeout or worker lost. {@code abortWorker}
   * asks the core to tell the worker to stop (the core noticed it, not the worker); a failure that
   * is not {@code retryable} ends the task at once.
   */
  record Fail(long token, AttemptEnd end, String reason, boolean abortWorker, boolean retryable)
      implements TaskEvent {
    public Fail {
      if (!end.retryable()) {
        throw new IllegalArgumentException("not a failure to run: " + end);
      }
    }

    /** A failure another attempt could get past. */
    public Fail(long token, AttemptEnd end, String reason, boolean abortWorker) {
      this(token, end, reason, abortWorker, true);
    }
  }

  /**
   * The attempt's worker drained and its deadline passed, or the core restarted and its worker no
   * longer holds it: the task is queued again without using up an attempt or counting against the
   * worker. {@code abortWorker} when the worker may still run it and must be told to stop.
   */
  record HandBack(long token, String reason, boolean abortWorker) implements TaskEvent {
    /** A hand-back the worker is told to stop. */
    public HandBack(long token, String reason) {
      this(token, reason, true);
    }
  }

  /** The job was cancelled. */
  record Cancel(String reason) implements TaskEvent {}

  /** No registered worker could ever serve the task. */
  record Unroutable(String reason) implements TaskEvent {}

  /** The task waited in the queue past its queue timeout; it ends without running. */
  record QueueExpired(String reason) implements TaskEvent {}
}
