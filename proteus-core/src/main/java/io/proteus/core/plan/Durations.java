package io.proteus.core.plan;

import com.fasterxml.jackson.core.JsonToken;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Timeouts in plans: seconds as a number, or a string such as {@code 90s}, {@code 5m}, {@code
 * PT1M}; positive and at most {@link #MAX} (seven days), so that no deadline can overflow.
 */
final class Durations {
  /** The longest timeout a plan may ask for. */
  static final Duration MAX = Duration.ofDays(7);

  private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

  private Durations() {}

  static Duration parse(JsonCursor c, String f) {
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
        throw c.error(f, "timeout out of range: the most is 7 days");
      }
    }
    if (d.isNegative() || d.isZero()) {
      throw c.error(f, "timeout must be positive");
    }
    if (d.compareTo(MAX) > 0) {
      throw c.error(f, "timeout out of range: the most is 7 days");
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
