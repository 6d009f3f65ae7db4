package io.proteus.spi;

import io.proteus.model.AttemptEnd;

/**
 * Why a worker could not run an attempt. The first three are retried on another worker by default;
 * a policy refusal and a bad build are not, since no other attempt could get past them (see {@link
 * Failure}).
 */
public enum FailureKind {
  /** The worker refused the task (busy, wrong platform, shutting down). */
  REJECTED(AttemptEnd.REJECTED),
  /** The engine failed to start or run it. */
  ENGINE_ERROR(AttemptEnd.ENGINE_ERROR),
  /** It ran past its timeout and was killed. */
  TIMEOUT(AttemptEnd.TIMEOUT),
  /** The engine's policy refuses what the test asks for (an image, a network, privileges). */
  POLICY_REFUSED(AttemptEnd.ENGINE_ERROR, false),
  /** The build lacks a file the test needs, or has one the engine cannot use. */
  BAD_BUILD(AttemptEnd.ENGINE_ERROR, false);

  private final AttemptEnd end;
  private final boolean retryableByDefault;

  FailureKind(AttemptEnd end) {
    this(end, true);
  }

  FailureKind(AttemptEnd end, boolean retryableByDefault) {
    this.end = end;
    this.retryableByDefault = retryableByDefault;
  }

  /** Whether a failure of this kind is retried unless it says otherwise. */
  public boolean retryableByDefault() {
    return retryableByDefault;
  }

  /** The attempt end this failure records. */
  public AttemptEnd end() {
    return end;
  }
}
