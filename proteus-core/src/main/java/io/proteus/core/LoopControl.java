package io.proteus.core;

import io.proteus.DoNotImplement;
import java.time.Instant;
import java.util.Optional;

/**
 * Steps a core built with {@link ProteusCoreBuilder#steppedLoop()}: the test thread runs the loop.
 * Test environments use it with a manual clock; applications never need it.
 */
@DoNotImplement
public interface LoopControl {

  /** Runs every queued event and every timer due by the clock; returns how many ran. */
  int runReady();

  /** When the loop's next timer is due. */
  Optional<Instant> nextTimer();

  /** Runs until nothing is queued and no timer is due. */
  default void runUntilIdle() {
    while (runReady() > 0) {
      // keep going until a pass runs nothing
    }
  }
}
