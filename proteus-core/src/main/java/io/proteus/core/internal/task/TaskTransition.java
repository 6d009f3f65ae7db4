package io.proteus.core.internal.task;

import io.proteus.model.AttemptEnd;
import java.util.Optional;

/**
 * The result of one event in one state.
 *
 * @param next the state after the event
 * @param ended the attempt that ended with this event, how and why
 * @param abortWorker whether the worker holding {@code ended} must be told to stop
 * @param ignored why the event was ignored, when it was
 */
public record TaskTransition(
    TaskState next, Optional<EndedAttempt> ended, boolean abortWorker, Optional<String> ignored) {

  /** An attempt that ended. */
  /**
   * An attempt that ended.
   *
   * @param retryable false when it failed in a way no other attempt could get past: it then counts
   *     against neither the worker nor the task's retries
   */
  public record EndedAttempt(Attempt attempt, AttemptEnd end, String reason, boolean retryable) {}

  static TaskTransition to(TaskState next) {
    return new TaskTransition(next, Optional.empty(), false, Optional.empty());
  }

  static TaskTransition ending(
      TaskState next, Attempt a, AttemptEnd end, String why, boolean abort) {
    return ending(next, a, end, why, abort, true);
  }

  static TaskTransition ending(
      TaskState next, Attempt a, AttemptEnd end, String why, boolean abort, boolean retryable) {
    return new TaskTransition(
        next, Optional.of(new EndedAttempt(a, end, why, retryable)), abort, Optional.empty());
  }

  static TaskTransition ignore(TaskState same, String why) {
    return new TaskTransition(same, Optional.empty(), false, Optional.of(why));
  }

  /** Whether the event changed nothing. */
  public boolean isIgnored() {
    return ignored.isPresent();
  }
}
