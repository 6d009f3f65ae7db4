package io.proteus.spi;

import io.proteus.DoNotImplement;
import io.proteus.model.TaskStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a worker tells the core. The core hands this to each {@link Worker}; it may be called from
 * any thread, never blocks, and posts each call to the core's loop. Calls carrying a fencing token
 * that is not the task's live attempt are ignored.
 */
@DoNotImplement
public interface WorkerEvents {

  /** The worker is ready to take tasks. */
  void ready();

  /** The worker took the attempt; from now on the task counts as running on it. */
  void accepted(long fencingToken);

  /** The attempt moved on: {@link TaskStatus#RUNNING} or {@link TaskStatus#UPLOADING}. */
  void progressed(long fencingToken, TaskStatus phase);

  /** The test ran to its end; its results. */
  void completed(long fencingToken, AttemptReport report);

  /**
   * The attempt could not run, for the reason {@code failure} gives; the core retries the task on
   * another worker only if the failure is {@linkplain Failure#retryable() retryable}, else the task
   * ends at once as ERROR with its message and the worker is not blamed for it. What the attempt
   * printed before it stopped is kept at {@code log} (a path or URI the worker's owner can read),
   * if present, so that a timed-out or broken attempt keeps its log.
   */
  void failed(long fencingToken, Failure failure, Optional<String> log);

  /**
   * The attempt could not run; retried or not as {@code kind} is {@linkplain
   * FailureKind#retryableByDefault() by default}. The same as {@link #failed(long, Failure,
   * Optional)} with {@link Failure#of(FailureKind, String)} and no log.
   */
  default void failed(long fencingToken, FailureKind kind, String reason) {
    failed(fencingToken, Failure.of(kind, reason), Optional.empty());
  }

  /**
   * The attempt could not run, and what it printed is kept at {@code log}; retried or not as {@code
   * kind} is {@linkplain FailureKind#retryableByDefault() by default}. The same as {@link
   * #failed(long, Failure, Optional)} with {@link Failure#of(FailureKind, String)}.
   */
  default void failed(long fencingToken, FailureKind kind, String reason, Optional<String> log) {
    failed(fencingToken, Failure.of(kind, reason), log);
  }

  /**
   * An attempt the core aborted (cancelled, timed out by the core, or stopped) is over: every
   * process it started is gone. Until then, or until the core's abort grace passes, the core keeps
   * the attempt's resource tags held, so that two holders never overlap. The default does nothing.
   */
  default void released(long fencingToken) {}

  /**
   * As {@link #released(long)}, with the log of what the aborted attempt printed kept at {@code
   * log}, so that a killed attempt keeps its log too. The default forgets the log.
   */
  default void released(long fencingToken, Optional<String> log) {
    released(fencingToken);
  }

  /** The worker is alive. Workers that stay silent past the core's heartbeat timeout are lost. */
  void heartbeat();

  /**
   * Lines the attempt {@code fencingToken} printed while it runs, for the core's live tail; {@code
   * dropped} lines printed before them were not sent. Ignored for an attempt that is not live.
   */
  default void output(long fencingToken, List<String> lines, long dropped) {}

  /**
   * The worker drains on its own (its host wants it gone): the core gives it no more work, lets its
   * attempt run up to {@code deadline}, then hands that attempt back to run elsewhere, not counted
   * as a failure. A dispatch it then refuses, an attempt it releases unasked, and its leaving while
   * it drains hand the attempt back too. The default does nothing, for test doubles.
   */
  default void draining(java.time.Duration deadline, String reason) {}

  /** The worker is gone (disconnected, shut down); whatever it held is retried. */
  void lost(String reason);

  /**
   * Completes once the core has handled every call made on these events before this one and stored
   * what they changed. A worker across a transport acknowledges an attempt's end only then, so that
   * an end the core took survives the core. Never completes once the core has stopped. The default
   * completes at once, for test doubles.
   */
  default CompletionStage<Void> handled() {
    return CompletableFuture.completedFuture(null);
  }
}
