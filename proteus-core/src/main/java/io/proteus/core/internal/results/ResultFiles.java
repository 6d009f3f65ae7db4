package io.proteus.core.internal.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proteus.model.CaseStatus;
import io.proteus.model.TestCaseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the results a scenario wrote to its results folder: JSON lines ({@code *.jsonl}), JUnit XML
 * ({@code *.xml}) and TAP ({@code *.tap}), in file-name order. A line or file that cannot be read
 * becomes a failed case that says so, never a lost one.
 */
public final class ResultFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_FILE = 16L << 20;

  private ResultFiles() {}

  /** Every case in every result file in {@code dir}; empty when there is none. */
  public static List<TestCaseResult> read(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
    }
    List<TestCaseResult> out = new ArrayList<>();
    for (Path f : files) {
      String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
      if (!(n.endsWith(".jsonl")
          || n.endsWith(".ndjson")
          || n.endsWith(".xml")
          || n.endsWith(".tap"))) {
        continue;
      }
      if (Files.size(f) > MAX_FILE) {
        out.add(
            unreadable(
                f.getFileName().toString(), "result file larger than " + MAX_FILE + " bytes"));
        continue;
      }
      String text = Files.readString(f, StandardCharsets.UTF_8);
      if (n.endsWith(".xml")) {
        out.addAll(JunitXml.parse(text, f.getFileName().toString()));
      } else if (n.endsWith(".tap")) {
        out.addAll(Tap.parse(text));
      } else {
        out.addAll(jsonLines(text, f.getFileName().toString()));
      }
    }
    return out;
  }

  /**
   * Parses JSON lines: {@code {"name": "...", "status": "passed|failed|skipped", "message": "...",
   * "durationMs": 12}}.
   */
  public static List<TestCaseResult> jsonLines(String text, String file) {
    List<TestCaseResult> out = new ArrayList<>();
    String[] lines = text.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = file + ":" + (i + 1);
      try {
        JsonNode node = JSON.readTree(line);
        String name = node.path("name").asText("");
        Optional<CaseStatus> status = status(node.path("status").asText(""));
        if (name.isEmpty() || status.isEmpty()) {
          out.add(unreadable(where, "needs a name and a status of passed, failed or skipped"));
          continue;
        }
        String message = node.path("message").asText("");
        out.add(
            new TestCaseResult(
                name,
                status.get(),
                message.isEmpty() ? Optional.empty() : Optional.of(message),
                Duration.ofMillis(Math.max(0, node.path("durationMs").asLong(0))),
                true));
      } catch (IOException e) {
        out.add(unreadable(where, "not JSON"));
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

  static TestCaseResult unreadable(String where, String why) {
    return new TestCaseResult(
        "unreadable result (" + where + ")",
        CaseStatus.FAILED,
        Optional.of(why),
        Duration.ZERO,
        true);
  }
}
