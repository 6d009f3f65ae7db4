package io.proteus.core.internal.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proteus.model.CaseStatus;
import io.proteus.model.TestCaseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads the results a scenario wrote to its results folder: JSON lines ({@code *.jsonl}), JUnit XML
 * ({@code *.xml}) and TAP ({@code *.tap}), in file-name order. Never throws: a line or file that
 * cannot be read (not UTF-8, malformed, too large, a link, a folder, gone) becomes a failed case
 * named after it, never a lost one and never a failure to run. Every input is bounded.
 */
public final class ResultFiles {
  /** The largest result file read. */
  public static final int MAX_FILE_BYTES = 16 << 20;

  /** The most bytes read from all result files of one attempt together. */
  public static final long MAX_TOTAL_BYTES = 64L << 20;

  /** The most result files read; the first ones by name. */
  public static final int MAX_FILES = 1000;

  /** The most cases kept from one attempt. */
  public static final int MAX_CASES = 100_000;

  static final int MAX_NAME_CHARS = 1000;
  static final int MAX_MESSAGE_CHARS = 16_384;
  private static final int MAX_REASON_CHARS = 500;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultFiles() {}

  /** Every case in every result file in {@code dir}; empty when there is none. Never throws. */
  public static List<TestCaseResult> read(Path dir) {
    List<TestCaseResult> out = new ArrayList<>();
    BasicFileAttributes folder;
    try {
      folder = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return out;
    } catch (IOException | RuntimeException e) {
      out.add(unreadable("results folder", "cannot read it: " + describe(e)));
      return out;
    }
    if (!folder.isDirectory()) {
      out.add(unreadable("results folder", "it was replaced by something that is not a folder"));
      return out;
    }
    TreeSet<String> names = new TreeSet<>();
    boolean more = false;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        if (kind(n).isEmpty()) {
          continue;
        }
        names.add(n);
        if (names.size() > MAX_FILES) {
          names.pollLast();
          more = true;
        }
      }
    } catch (IOException | RuntimeException e) {
      out.add(unreadable("results folder", "cannot list it: " + describe(e)));
    }
    long budget = MAX_TOTAL_BYTES;
    for (String n : names) {
      if (out.size() >= MAX_CASES) {
        break;
      }
      budget -= readOne(dir.resolve(n), n, budget, out);
    }
    if (more) {
      out.add(
          unreadable(
              "results folder",
              "more than "
                  + MAX_FILES
                  + " result files; only the first "
                  + MAX_FILES
                  + " by name"
                  + " were read"));
    }
    if (out.size() > MAX_CASES) {
      int dropped = out.size() - MAX_CASES;
      out.subList(MAX_CASES, out.size()).clear();
      out.add(
          unreadable(
              "results folder",
              "more than " + MAX_CASES + " cases; " + dropped + " or more were dropped"));
    }
    return out;
  }

  /** Reads one file into {@code out}; returns how many bytes it read. */
  private static long readOne(Path f, String name, long budget, List<TestCaseResult> out) {
    try {
      BasicFileAttributes a =
          Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.isSymbolicLink()) {
        out.add(unreadable(name, "is a symbolic link; result files must be regular files"));
        return 0;
      }
      if (a.isDirectory()) {
        out.add(unreadable(name, "is a folder, not a result file"));
        return 0;
      }
      if (!a.isRegularFile()) {
        out.add(unreadable(name, "is not a regular file"));
        return 0;
      }
      long limit = Math.min(MAX_FILE_BYTES, budget);
      if (a.size() > limit) {
        out.add(unreadable(name, tooLarge(limit)));
        return 0;
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
        bytes = in.readNBytes((int) limit + 1);
      }
      if (bytes.length > limit) {
        out.add(unreadable(name, tooLarge(limit)));
        return bytes.length;
      }
      String kind = kind(name).orElseThrow();
      if (kind.equals("xml")) {
        out.addAll(JunitXml.parse(bytes, name));
      } else {
        Optional<String> text = utf8(bytes);
        if (text.isEmpty()) {
          out.add(unreadable(name, "is not UTF-8 text"));
        } else if (kind.equals("tap")) {
          out.addAll(Tap.parse(text.get()));
        } else {
          out.addAll(jsonLines(text.get(), name));
        }
      }
      return bytes.length;
    } catch (NoSuchFileException e) {
      out.add(unreadable(name, "vanished while it was read"));
    } catch (IOException | RuntimeException | StackOverflowError e) {
      out.add(unreadable(name, "cannot read it: " + describe(e)));
    }
    return 0;
  }

  private static String tooLarge(long limit) {
    return limit < MAX_FILE_BYTES
        ? "the attempt's result files pass " + MAX_TOTAL_BYTES + " bytes together; not read"
        : "result file larger than " + MAX_FILE_BYTES + " bytes";
  }

  private static Optional<String> kind(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".jsonl") || n.endsWith(".ndjson")) {
      return Optional.of("jsonl");
    }
    if (n.endsWith(".xml")) {
      return Optional.of("xml");
    }
    if (n.endsWith(".tap")) {
      return Optional.of("tap");
    }
    return Optional.empty();
  }

  private static Optional<String> utf8(byte[] bytes) {
    int start =
        bytes.length >= 3
                && (bytes[0] & 0xff) == 0xef
                && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf
            ? 3
            : 0;
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, start, bytes.length - start))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses JSON lines: {@code {"name": "...", "status": "passed|failed|skipped", "message": "...",
   * "durationMs": 12}}.
   */
  public static List<TestCaseResult> jsonLines(String text, String file) {
    List<TestCaseResult> out = new ArrayList<>();
    int lineNo = 0;
    for (String raw : text.split("\r?\n", -1)) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = file + ":" + lineNo;
      try {
        JsonNode node = JSON.readTree(line);
        if (node == null || !node.isObject()) {
          out.add(unreadable(where, "not a JSON object"));
          continue;
        }
        String name = node.path("name").asText("");
        Optional<CaseStatus> status = status(node.path("status").asText(""));
        if (name.isEmpty() || status.isEmpty()) {
          out.add(unreadable(where, "needs a name and a status of passed, failed or skipped"));
          continue;
        }
        String message = node.path("message").asText("");
        out.add(
            bounded(
                name,
                status.get(),
                message,
                Duration.ofMillis(Math.max(0, node.path("durationMs").asLong(0)))));
      } catch (IOException e) {
        out.add(unreadable(where, "not JSON"));
      }
      if (out.size() > MAX_CASES) {
        break;
      }
    }
    return out;
  }

  static Optional<CaseStatus> status(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "passed", "pass", "ok", "success" -> Optional.of(CaseStatus.PASSED);
      case "failed", "fail", "failure", "error" -> Optional.of(CaseStatus.FAILED);
      case "skipped", "skip", "ignored", "disabled" -> Optional.of(CaseStatus.SKIPPED);
      default -> Optional.empty();
    };
  }

  /** A case with its name and message cut to their bounds. */
  static TestCaseResult bounded(String name, CaseStatus status, String message, Duration took) {
    String m = cut(message, MAX_MESSAGE_CHARS + 40);
    return new TestCaseResult(
        cut(name, MAX_NAME_CHARS),
        status,
        m.isEmpty() ? Optional.empty() : Optional.of(m),
        took,
        true);
  }

  static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    return s.substring(0, max) + " [" + (s.length() - max) + " characters dropped]";
  }

  static TestCaseResult unreadable(String where, String why) {
    return new TestCaseResult(
        "unreadable result (" + cut(where, MAX_NAME_CHARS) + ")",
        CaseStatus.FAILED,
        Optional.of(cut(why, MAX_MESSAGE_CHARS)),
        Duration.ZERO,
        true);
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    return cut(
        e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m),
        MAX_REASON_CHARS);
  }
}
