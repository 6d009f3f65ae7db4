package io.proteus.docker.internal;

import com.github.dockerjava.api.exception.DockerException;

/** Short, bounded descriptions of lower-level failures, for messages that say what went wrong. */
public final class Errors {
  private static final int MAX = 600;

  private Errors() {}

  /** What {@code t} says, in one bounded line. */
  public static String describe(Throwable t) {
    if (t == null) {
      return "unknown failure";
    }
    Throwable root = t;
    while (root.getCause() != null
        && (root.getMessage() == null || root instanceof java.util.concurrent.ExecutionException)) {
      root = root.getCause();
    }
    String m = root.getMessage();
    if (root instanceof DockerException d) {
      m = "daemon answered " + d.getHttpStatus() + ": " + m;
    } else if (m == null || m.isBlank()) {
      m = root.getClass().getSimpleName();
    } else if (!(root instanceof io.proteus.ProteusException)) {
      m = root.getClass().getSimpleName() + ": " + m;
    }
    m = m.replaceAll("[\\r\\n\\t]+", " ").strip();
    return m.length() > MAX ? m.substring(0, MAX) + "…" : m;
  }
}
