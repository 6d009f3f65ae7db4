package io.proteus.core.internal.artifacts;

import io.proteus.core.internal.util.Confinement;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for a file's path in a request: what the server accepts after {@code /files/}, what
 * a manifest may list and what the fetcher asks for. A path is 1 to {@value #MAX_DEPTH} segments
 * joined by {@code /}; each segment, percent-decoded once and read as strict UTF-8 (no overlong
 * forms), is not empty, not {@code .} or {@code ..}, and holds no {@code /}, {@code \}, {@code :},
 * {@code %}, NUL or other control character. So an encoded {@code ..} or separator, a
 * double-encoded one, a drive letter and a backslash path are all refused, before any file is
 * looked at.
 */
public final class FilePaths {
  /** The most segments a path may have. */
  public static final int MAX_DEPTH = 64;

  /** The longest path, in bytes, raw or decoded. */
  public static final int MAX_BYTES = 4096;

  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");

  private FilePaths() {}

  /** Whether a job id can name a job in a URL and a folder: a slug of 1 to 200 characters. */
  public static boolean isJobId(String id) {
    return JOB_ID.matcher(id).matches();
  }

  /**
   * The segments of a raw (still percent-encoded) request path, or empty when the path breaks the
   * rule.
   */
  public static Optional<List<String>> decode(String raw) {
    if (raw.isEmpty() || raw.length() > MAX_BYTES) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    for (String part : raw.split("/", -1)) {
      Optional<String> segment = decodeSegment(part);
      if (segment.isEmpty() || out.size() == MAX_DEPTH) {
        return Optional.empty();
      }
      out.add(segment.get());
    }
    return Optional.of(List.copyOf(out));
  }

  /**
   * The segments of a plain (decoded) relative path such as a manifest lists, or empty when it
   * breaks the rule.
   */
  public static Optional<List<String>> split(String path) {
    if (path.isEmpty()
        || path.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES
        || !Confinement.isRelativeInside(path)) {
      return Optional.empty();
    }
    String[] parts = path.split("/", -1);
    if (parts.length > MAX_DEPTH) {
      return Optional.empty();
    }
    for (String part : parts) {
      if (!isSegment(part)) {
        return Optional.empty();
      }
    }
    return Optional.of(List.of(parts));
  }

  /** Whether {@code name} is one decoded segment the rule allows. */
  public static boolean isSegment(String name) {
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\' || c == ':' || c == '%' || Character.isISOControl(c)) {
        return false;
      }
    }
    return true;
  }

  private static Optional<String> decodeSegment(String raw) {
    ByteBuffer bytes = ByteBuffer.allocate(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return Optional.empty();
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return Optional.empty();
        }
        bytes.put((byte) (hi << 4 | lo));
        i += 2;
      } else if (c > 0x20 && c < 0x7f) {
        bytes.put((byte) c);
      } else {
        return Optional.empty();
      }
    }
    bytes.flip();
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(bytes);
      String segment = chars.toString();
      return isSegment(segment) ? Optional.of(segment) : Optional.empty();
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
