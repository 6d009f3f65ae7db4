package io.proteus.core.plan;

import com.fasterxml.jackson.core.JsonToken;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Durations in plans: seconds as a number, or a string such as {@code 90s}, {@code 5m}, {@code
 * PT1M}. Timeouts are positive and at most {@link #MAX} (seven days), so that no deadline can
 * overflow; a grace may be zero and is at most {@link #MAX_GRACE}.
 */
final class Durations {
  /** The longest timeout a plan may ask for. */
  static final Duration MAX = Duration.ofDays(7);

  /** The longest grace a plan may ask for. */
  static final Duration MAX_GRACE = Duration.ofHours(1);

  private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

  private Durations() {}

  /** A timeout: positive, at most seven days. */
  static Duration parse(JsonCursor c, String f) {
    return parse(c, f, "timeout", false, MAX, "7 days");
  }

  /** A grace: zero or more, at most an hour. */
  static Duration grace(JsonCursor c, String f) {
    return parse(c, f, "grace", true, MAX_GRACE, "1 hour");
  }

  private static Duration parse(
      JsonCursor c, String f, String what, boolean zero, Duration max, String most) {
    @Nullable Duration d;
    if (c.current() == JsonToken.VALUE_STRING) {
      d = parse(c.text(f).trim());
      if (d == null) {
        throw c.error(f, "expected seconds or a duration such as 90s, 5m, 1h or PT1M");
      }
    } else {
      double seconds = c.number(f).doubleValue();
      d =
          Double.isFinite(seconds) && Math.abs(seconds) < 1e9
              ? Duration.ofMillis((long) (seconds * 1000))
              : null;
      if (d == null) {
        throw c.error(f, what + " out of range: the most is " + most);
      }
    }
    if (d.isNegative() || (d.isZero() && !zero)) {
      throw c.error(f, what + (zero ? " must not be negative" : " must be positive"));
    }
    if (d.compareTo(max) > 0) {
      throw c.error(f, what + " out of range: the most is " + most);
    }
    return d;
  }

  static @Nullable Duration parse(String s) {
    Matcher m = SHORT.matcher(s.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      double v = Double.parseDouble(m.group(1));
      if (v > 1e9) {
        return null;
      }
      double ms =
          switch (m.group(2)) {
            case "ms" -> v;
            case "s" -> v * 1000;
            case "m" -> v * 60_000;
            default -> v * 3_600_000;
          };
      return Duration.ofMillis((long) ms);
    }
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException | ArithmeticException e) {
      return null;
    }
  }
}
