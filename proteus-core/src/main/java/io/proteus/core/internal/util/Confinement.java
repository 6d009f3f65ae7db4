package io.proteus.core.internal.util;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one rule for "a path stays inside its root": a relative path from a plan, an archive or a
 * request is resolved against the root and normalized, and must then lie strictly below the root.
 * As text, before any file system is asked, such a path is not absolute (no leading {@code /} or
 * {@code \}, no drive letter), holds no NUL and no {@code ..} segment ({@code /} and {@code \} both
 * separate segments).
 */
public final class Confinement {
  private Confinement() {}

  /**
   * Where {@code relative} lands below {@code root}, or empty when it lands on the root itself,
   * outside it, or is not a valid path. Links are not looked at: callers that must not follow links
   * check them on the way.
   */
  public static Optional<Path> below(Path root, String relative) {
    if (!isRelativeInside(relative)) {
      return Optional.empty();
    }
    Path base = root.normalize();
    try {
      Path p = base.resolve(relative).normalize();
      return p.startsWith(base) && !p.equals(base) ? Optional.of(p) : Optional.empty();
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  /**
   * Where the single name {@code name} lands as a direct child of {@code root}, or empty when it is
   * not one plain name.
   */
  public static Optional<Path> child(Path root, String name) {
    return below(root, name)
        .filter(p -> p.getParent() != null && p.getParent().equals(root.normalize()));
  }

  /** Whether {@code path}, read as text, is a relative path that cannot leave its root. */
  public static boolean isRelativeInside(String path) {
    return !isAbsolute(path) && path.indexOf('\0') < 0 && !hasParentStep(path);
  }

  /** Whether {@code path} starts at a root: a leading {@code /} or {@code \}, or a drive letter. */
  public static boolean isAbsolute(String path) {
    return path.startsWith("/")
        || path.startsWith("\\")
        || (path.length() >= 2 && path.charAt(1) == ':' && isAsciiLetter(path.charAt(0)));
  }

  /** Whether {@code path} has a {@code ..} segment, with {@code /} or {@code \} as separators. */
  public static boolean hasParentStep(String path) {
    for (String part : path.split("[/\\\\]", -1)) {
      if (part.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
}
