package io.proteus.docker.internal;

import io.proteus.core.archive.ArchiveLimits;
import java.time.Duration;

/**
 * The engine's bounds.
 *
 * @param maxLineBytes the longest output line kept whole; the rest is dropped and counted
 * @param archiveLimits the limits of copies out of containers and of build contexts
 * @param killTimeout how long the engine keeps trying to kill and remove a container whose task
 *     ended, timed out or was aborted, before it gives up and reports it ended anyway
 * @param callTimeout how long a short request to the daemon may take
 */
public record EngineSettings(
    int maxLineBytes, ArchiveLimits archiveLimits, Duration killTimeout, Duration callTimeout) {
  /** Checks the bounds. */
  public EngineSettings {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("the line cap must be positive: " + maxLineBytes);
    }
    if (killTimeout.isNegative() || killTimeout.isZero()) {
      throw new IllegalArgumentException("the kill timeout must be positive: " + killTimeout);
    }
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("the call timeout must be positive: " + callTimeout);
    }
  }

  /** {@code d} in milliseconds, saturated so that a huge duration never overflows. */
  public static long millis(Duration d) {
    return d.compareTo(Duration.ofDays(3650)) > 0 ? Duration.ofDays(3650).toMillis() : d.toMillis();
  }
}
