package io.proteus.core.internal.artifacts;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One range of a file's bytes asked with {@code Range: bytes=a-b}, {@code bytes=a-} or {@code
 * bytes=-n} (RFC 9110 section 14). Several ranges, other units and malformed values are ignored
 * (the whole file is sent), as the RFC allows.
 *
 * @param first the first byte
 * @param last the last byte, inclusive
 */
public record ByteRange(long first, long last) {
  private static final Pattern ONE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

  /** What a {@code Range} header asks of a file of {@code size} bytes. */
  public sealed interface Asked {}

  /** Send the whole file: no header, or one to ignore. */
  public record Whole() implements Asked {}

  /** Send this range (206). */
  public record Part(ByteRange range) implements Asked {}

  /** Nothing of the file can be sent (416). */
  public record Unsatisfiable() implements Asked {}

  /** Reads a {@code Range} header's value for a file of {@code size} bytes. */
  public static Asked parse(Optional<String> header, long size) {
    if (header.isEmpty()) {
      return new Whole();
    }
    Matcher m = ONE.matcher(header.get().trim());
    if (!m.matches()) {
      return new Whole();
    }
    String a = m.group(1);
    String b = m.group(2);
    try {
      if (a.isEmpty()) {
        if (b.isEmpty()) {
          return new Whole();
        }
        long n = Long.parseLong(b);
        if (n == 0 || size == 0) {
          return new Unsatisfiable();
        }
        return new Part(new ByteRange(Math.max(0, size - n), size - 1));
      }
      long first = Long.parseLong(a);
      long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
      if (last < first) {
        return new Whole();
      }
      if (first >= size) {
        return new Unsatisfiable();
      }
      return new Part(new ByteRange(first, Math.min(last, size - 1)));
    } catch (NumberFormatException e) {
      return new Whole();
    }
  }

  /** How many bytes the range covers. */
  public long length() {
    return last - first + 1;
  }
}
