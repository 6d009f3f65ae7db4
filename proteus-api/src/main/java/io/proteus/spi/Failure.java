package io.proteus.spi;

import java.util.Objects;

/**
 * Why an attempt could not run, as it crosses the worker boundary: what kind of failure, what
 * happened, and whether another attempt could succeed. A failure that is not retryable (a policy
 * refusal, a file the build does not contain) ends the task at once as ERROR with its message,
 * instead of being tried on two more workers, and does not count toward the worker's quarantine.
 *
 * @param kind what kind of failure
 * @param message what happened, for people
 * @param retryable whether another attempt, on another worker, could succeed
 */
public record Failure(FailureKind kind, String message, boolean retryable) {

  /** Checks the fields. */
  public Failure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }

  /** A failure of {@code kind}, retryable as its kind is by default. */
  public static Failure of(FailureKind kind, String message) {
    return new Failure(kind, message, kind.retryableByDefault());
  }

  /** A failure another attempt could get past. */
  public static Failure retryable(FailureKind kind, String message) {
    return new Failure(kind, message, true);
  }

  /** A failure no other attempt could get past: the task ends at once. */
  public static Failure nonRetryable(FailureKind kind, String message) {
    return new Failure(kind, message, false);
  }
}
