package io.proteus.examples.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How a configuration value is read from its text; each says what it expected when it cannot. */
enum ConfigType {
  /** Any text. */
  STRING("text"),
  /** Text that is never printed. */
  SECRET("text"),
  /** A name: 1 to 64 letters, digits, '.', '_' or '-'. */
  NAME("a name of 1 to 64 letters, digits, '.', '_' or '-'"),
  /** A TCP port, 1 to 65535. */
  PORT("a port number from 1 to 65535"),
  /** A TCP port, or 0 for any free one. */
  PORT_OR_ZERO("a port number from 0 (any free port) to 65535"),
  /** True or false. */
  BOOLEAN("true or false"),
  /** A file or folder. */
  PATH("a path"),
  /** A positive duration: ISO-8601 (PT10S) or a number with ms, s, m or h (10s). */
  DURATION("a positive duration such as 10s, 500ms, 2m or PT10S"),
  /** A byte size: a number with an optional k, m or g suffix. */
  SIZE("a size in bytes such as 512m or 10g"),
  /** A list: a YAML sequence, or comma-separated text. */
  LIST("a list (a YAML sequence, or comma-separated text)"),
  /** The engine: process or docker. */
  ENGINE("process or docker"),
  /** The JUnit XML flavour: surefire or junit4. */
  FLAVOUR("surefire or junit4");

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
  private static final Pattern SIZE_TEXT = Pattern.compile("(\\d{1,12})([kmg]?)b?");

  private final String expected;

  ConfigType(String expected) {
    this.expected = expected;
  }

  /** What a value of this type looks like, for error messages. */
  String expected() {
    return expected;
  }

  /**
   * The value of {@code text}, of the Java type this type reads to.
   *
   * @throws IllegalArgumentException when {@code text} is not of this type
   */
  Object parse(String text) {
    String t = text.trim();
    return switch (this) {
      case STRING, SECRET -> text;
      case NAME -> {
        if (!io.proteus.mqtt.MqttSettings.isValidName(t)) {
          throw new IllegalArgumentException();
        }
        yield t;
      }
      case PORT -> range(t, 1, 65535);
      case PORT_OR_ZERO -> range(t, 0, 65535);
      case BOOLEAN -> {
        if (!t.equals("true") && !t.equals("false")) {
          throw new IllegalArgumentException();
        }
        yield Boolean.parseBoolean(t);
      }
      case PATH -> {
        if (t.isEmpty()) {
          throw new IllegalArgumentException();
        }
        yield Path.of(t);
      }
      case DURATION -> duration(t);
      case SIZE -> size(t);
      case LIST ->
          java.util.Arrays.stream(t.split(","))
              .map(String::trim)
              .filter(s -> !s.isEmpty())
              .toList();
      case ENGINE, FLAVOUR -> {
        String v = t.toLowerCase(Locale.ROOT);
        boolean ok =
            this == ENGINE
                ? v.equals("process") || v.equals("docker")
                : v.equals("surefire") || v.equals("junit4");
        if (!ok) {
          throw new IllegalArgumentException();
        }
        yield v;
      }
    };
  }

  private static int range(String t, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(e);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException();
    }
    return n;
  }

  private static Duration duration(String t) {
    Duration d;
    Matcher m = SHORT_DURATION.matcher(t.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
          };
    } else {
      try {
        d = Duration.parse(t);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(e);
      }
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException();
    }
    return d;
  }

  private static long size(String t) {
    Matcher m = SIZE_TEXT.matcher(t.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException();
    }
    long n = Long.parseLong(m.group(1));
    long bytes =
        switch (m.group(2)) {
          case "k" -> n << 10;
          case "m" -> n << 20;
          case "g" -> n << 30;
          default -> n;
        };
    if (bytes < 1 || bytes > 1L << 50) {
      throw new IllegalArgumentException();
    }
    return bytes;
  }
}
