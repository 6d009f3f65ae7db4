package io.proteus.spi;

import io.proteus.model.AttemptEnd;

/** Why a worker could not run an attempt. Every kind is retried on another worker. */
public enum FailureKind {
  /** The worker refused the task (busy, wrong platform, shutting down). */
  REJECTED(AttemptEnd.REJECTED),
  /** The engine failed to start or run it. */
  ENGINE_ERROR(AttemptEnd.ENGINE_ERROR),
  /** It ran past its timeout and was killed. */
  TIMEOUT(AttemptEnd.TIMEOUT);

  private final AttemptEnd end;

  FailureKind(AttemptEnd end) {
    this.end = end;
  }

  /** The attempt end this failure records. */
  public AttemptEnd end() {
    return end;
  }
}
