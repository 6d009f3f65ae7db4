package io.proteus.model;

import java.util.List;

/**
 * The last lines a task's current (or last) attempt printed, as they arrived while it ran: a capped
 * tail, never the whole log. Lines the agent did not send and lines the tail let go are counted, so
 * nothing is cut silently.
 *
 * @param fencingToken the attempt the lines belong to
 * @param lines the tail, oldest first
 * @param dropped how many earlier lines of this attempt are not in the tail
 */
public record LiveOutput(long fencingToken, List<String> lines, long dropped) {
  /** Copies the lines. */
  public LiveOutput {
    lines = List.copyOf(lines);
  }
}
