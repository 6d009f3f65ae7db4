package io.proteus.spi;

import java.time.Duration;

/**
 * How a command ended.
 *
 * @param code its exit code; for a killed process, what the engine saw (137 for SIGKILL)
 * @param timedOut whether it was killed for running past its timeout
 * @param aborted whether it was killed by {@link Exec#abort()}
 * @param elapsed how long it ran
 * @param outOfMemory whether it was killed for passing its memory limit
 */
public record ExitStatus(
    int code, boolean timedOut, boolean aborted, Duration elapsed, boolean outOfMemory) {

  /** A status for a command that was not killed for memory. */
  public ExitStatus(int code, boolean timedOut, boolean aborted, Duration elapsed) {
    this(code, timedOut, aborted, elapsed, false);
  }
}
