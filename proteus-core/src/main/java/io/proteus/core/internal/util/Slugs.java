package io.proteus.core.internal.util;

import java.util.regex.Pattern;

/**
 * Names made safe for files, folders and ids: every run of characters other than ASCII letters,
 * digits, {@code .}, {@code _} and {@code -} becomes one {@code _}, a leading {@code .} becomes
 * {@code _} (so a slug is never {@code .}, {@code ..} or hidden), an empty name becomes {@code _},
 * and the result is cut to a maximum length. A slug is always one plain path segment.
 */
public final class Slugs {
  private static final Pattern OTHER = Pattern.compile("[^A-Za-z0-9._-]+");
  private static final Pattern OTHER_OR_DASH = Pattern.compile("[^A-Za-z0-9._]+");

  private Slugs() {}

  /** {@code name} as a slug of at most {@code maxLength} characters (at least 1). */
  public static String of(String name, int maxLength) {
    return finish(OTHER.matcher(name).replaceAll("_"), maxLength);
  }

  /**
   * {@code name} as a slug that also has no {@code -}, for one part of a name whose parts are
   * joined by {@code -}.
   */
  public static String part(String name, int maxLength) {
    return finish(OTHER_OR_DASH.matcher(name).replaceAll("_"), maxLength);
  }

  private static String finish(String s, int maxLength) {
    if (maxLength < 1) {
      throw new IllegalArgumentException("a slug has at least one character: " + maxLength);
    }
    String out = s.isEmpty() ? "_" : s.charAt(0) == '.' ? "_" + s.substring(1) : s;
    return out.length() > maxLength ? out.substring(0, maxLength) : out;
  }
}
