package io.proteus.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Why a worker is out of rotation, since when, and who decided. A quarantined worker takes no work
 * until it is released.
 *
 * @param reason what went wrong, in words
 * @param at when it was quarantined, by the core's clock
 * @param by who decided
 */
public record Quarantine(String reason, Instant at, Decider by) {

  /** Who quarantined a worker. */
  public enum Decider {
    /** The core, after too many tasks in a row could not run on the worker. */
    CORE,
    /** An operator, through {@code ProteusCore.quarantine} or the launcher. */
    OPERATOR
  }

  /** Checks that every part is present. */
  public Quarantine {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(by, "by");
  }
}
