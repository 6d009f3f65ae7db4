package io.proteus.docker.internal;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user a task's container runs as, numerically, so the engine can give it the workspace: {@code
 * uid} or {@code uid:gid}; {@code root} is uid 0.
 *
 * @param uid the user id
 * @param gid the group id, when given
 */
public record TaskUser(int uid, OptionalInt gid) {
  private static final Pattern NUMERIC = Pattern.compile("([0-9]{1,9})(?::([0-9]{1,9}))?");

  /** The user {@code text} names, or empty when it is not numeric. */
  public static Optional<TaskUser> parse(String text) {
    if (text.equals("root") || text.equals("root:root")) {
      return Optional.of(new TaskUser(0, OptionalInt.of(0)));
    }
    Matcher m = NUMERIC.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new TaskUser(
            Integer.parseInt(m.group(1)),
            m.group(2) == null
                ? OptionalInt.empty()
                : OptionalInt.of(Integer.parseInt(m.group(2)))));
  }

  /** Whether this is root. */
  public boolean isRoot() {
    return uid == 0;
  }
}
