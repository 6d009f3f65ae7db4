package io.proteus.spi;

import io.proteus.model.TaskStatus;

/**
 * What a worker tells the core. The core hands this to each {@link Worker}; it may be called from
 * any thread, never blocks, and posts each call to the core's loop. Calls carrying a fencing token
 * that is not the task's live attempt are ignored.
 */
public interface WorkerEvents {

  /** The worker is ready to take tasks. */
  void ready();

  /** The worker took the attempt; from now on the task counts as running on it. */
  void accepted(long fencingToken);

  /** The attempt moved on: {@link TaskStatus#RUNNING} or {@link TaskStatus#UPLOADING}. */
  void progressed(long fencingToken, TaskStatus phase);

  /** The test ran to its end; its results. */
  void completed(long fencingToken, AttemptReport report);

  /** The attempt could not run; the core retries the task elsewhere. */
  void failed(long fencingToken, FailureKind kind, String reason);

  /** The worker is alive. Workers that stay silent past the core's heartbeat timeout are lost. */
  void heartbeat();

  /** The worker is gone (disconnected, shut down); whatever it held is retried. */
  void lost(String reason);
}
