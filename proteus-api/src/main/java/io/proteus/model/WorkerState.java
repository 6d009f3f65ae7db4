package io.proteus.model;

/** The core's view of a worker's life. */
public enum WorkerState {
  /** Registered, not ready yet. */
  BOOTING,
  /** Ready and holding no task. */
  IDLE,
  /** Holding a task. */
  BUSY,
  /** Finishing its task, taking no new one. */
  DRAINING,
  /** Gone: disconnected, shut down or lost. */
  OFFLINE,
  /** Taken out of rotation after repeated failures to run tasks. */
  QUARANTINED
}
