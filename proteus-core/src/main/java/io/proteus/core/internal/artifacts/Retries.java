package io.proteus.core.internal.artifacts;

import io.proteus.ArtifactException;
import java.time.Duration;

/**
 * How a transient failure (a connection refused or broken, a timeout, a 5xx, 408 or 429) is
 * retried: at most {@code maxAttempts} tries in all, waiting {@code initialBackoff} before the
 * second and twice as long before each next one, never more than {@code maxBackoff}.
 *
 * @param maxAttempts the most tries, at least 1
 * @param initialBackoff the wait before the second try
 * @param maxBackoff the longest wait
 */
public record Retries(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  /** The wait before try {@code attempt} (2 and up). */
  public Duration backoff(int attempt) {
    long ms = initialBackoff.toMillis();
    for (int i = 2; i < attempt && ms < maxBackoff.toMillis(); i++) {
      ms *= 2;
    }
    return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
  }

  /** Sleeps before try {@code attempt}; an interrupt ends the fetch. */
  public void pause(int attempt) {
    try {
      Thread.sleep(backoff(attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArtifactException(
          ArtifactException.Reason.IO, "interrupted while waiting to retry", e);
    }
  }

  /** The longest all tries could take, each bounded by {@code callTimeout}. */
  public Duration worstCase(Duration callTimeout) {
    Duration total = callTimeout.multipliedBy(maxAttempts);
    for (int a = 2; a <= maxAttempts; a++) {
      total = total.plus(backoff(a));
    }
    return total;
  }
}
