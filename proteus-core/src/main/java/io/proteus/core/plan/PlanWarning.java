package io.proteus.core.plan;

import io.proteus.SourceLocation;

/**
 * Something in a plan that was accepted but probably not meant: an unknown field, a dropped null.
 *
 * @param location where
 * @param field the JSON path
 * @param message what
 */
public record PlanWarning(SourceLocation location, String field, String message) {
  @Override
  public String toString() {
    return location + ": " + field + ": " + message;
  }
}
