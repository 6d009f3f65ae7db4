package io.proteus.core.process;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link ProcessEngine} runs commands.
 *
 * @param passEnvironment host variables passed to commands besides {@link #BASE_ENVIRONMENT}: exact
 *     names, or prefixes ending in {@code *} ({@code JAVA_*})
 * @param maxLineBytes the longest output line kept whole; a longer one keeps its first and last
 *     halves of this many bytes with a marker between, and never more is buffered
 * @param containment how every process of a command dies with it
 * @param drain how long output is still read after the command ended, before its pipes are closed
 *     and whatever still holds them is ignored
 */
public record ProcessOptions(
    List<String> passEnvironment, int maxLineBytes, Containment containment, Duration drain) {

  /**
   * The host variables every command gets, when the host has them: {@code PATH} (default {@code
   * /usr/local/bin:/usr/bin:/bin}), {@code HOME}, {@code USER}, {@code LOGNAME}, {@code LANG},
   * {@code LC_ALL}, {@code LC_CTYPE}, {@code TZ}, {@code TMPDIR} and {@code TERM}.
   */
  public static final List<String> BASE_ENVIRONMENT =
      List.of(
          "PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TERM");

  /** The default line cap: 256 KiB. */
  public static final int DEFAULT_MAX_LINE_BYTES = 256 * 1024;

  /** The smallest line cap accepted. */
  public static final int MIN_MAX_LINE_BYTES = 256;

  /** The default drain: 2 s. */
  public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(2);

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\*?");

  /** Checks and copies. */
  public ProcessOptions {
    passEnvironment = List.copyOf(passEnvironment);
    for (String n : passEnvironment) {
      if (!NAME.matcher(n).matches()) {
        throw new IllegalArgumentException(
            "a variable to pass is a name or a prefix ending in '*', not '" + n + "'");
      }
    }
    if (maxLineBytes < MIN_MAX_LINE_BYTES) {
      throw new IllegalArgumentException(
          "maxLineBytes must be at least " + MIN_MAX_LINE_BYTES + ": " + maxLineBytes);
    }
    Objects.requireNonNull(containment, "containment");
    if (drain.isNegative() || drain.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("drain must be between 0 and 1 minute: " + drain);
    }
  }

  /** The defaults: no variables passed beyond the base, 256 KiB lines, AUTO, a 2 s drain. */
  public static ProcessOptions defaults() {
    return new ProcessOptions(List.of(), DEFAULT_MAX_LINE_BYTES, Containment.AUTO, DEFAULT_DRAIN);
  }

  /** These options, passing these host variables (names or {@code PREFIX*}) too. */
  public ProcessOptions withPassEnvironment(String... names) {
    return new ProcessOptions(List.of(names), maxLineBytes, containment, drain);
  }

  /** These options, with this line cap. */
  public ProcessOptions withMaxLineBytes(int bytes) {
    return new ProcessOptions(passEnvironment, bytes, containment, drain);
  }

  /** These options, with this containment. */
  public ProcessOptions withContainment(Containment how) {
    return new ProcessOptions(passEnvironment, maxLineBytes, how, drain);
  }

  /** These options, with this drain. */
  public ProcessOptions withDrain(Duration howLong) {
    return new ProcessOptions(passEnvironment, maxLineBytes, containment, howLong);
  }

  /** Whether the host variable {@code name} reaches commands. */
  public boolean passes(String name) {
    if (BASE_ENVIRONMENT.contains(name)) {
      return true;
    }
    for (String p : passEnvironment) {
      if (p.endsWith("*") ? name.startsWith(p.substring(0, p.length() - 1)) : name.equals(p)) {
        return true;
      }
    }
    return false;
  }
}
