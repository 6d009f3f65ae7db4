package io.proteus.core.internal.worker;

/** What can happen to a worker, as the core sees it. */
public sealed interface WorkerEvent {

  /** The worker said it is ready (first time or after coming back). */
  record Ready() implements WorkerEvent {}

  /** The router gave it a task. */
  record Assign() implements WorkerEvent {}

  /**
   * Its task's attempt ended. {@code failedToRun} when the attempt could not run; {@code
   * quarantine} when that made too many such failures in a row.
   */
  record Release(boolean failedToRun, boolean quarantine) implements WorkerEvent {}

  /** Stop giving it work; let its task finish. */
  record Drain() implements WorkerEvent {}

  /** It vanished: disconnected, silent past the heartbeat timeout, or shut down. */
  record Lost() implements WorkerEvent {}

  /** An operator (or a failed health check) took it out of rotation. */
  record Quarantine() implements WorkerEvent {}

  /** An operator put a quarantined worker back. */
  record Lift() implements WorkerEvent {}
}
