package io.proteus.core.internal.results;

import io.proteus.model.CaseStatus;
import io.proteus.model.TestCaseResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads TAP: {@code ok 1 - name}, {@code not ok 2 - name}, with {@code # SKIP} and {@code # TODO}.
 */
final class Tap {
  private static final Pattern LINE =
      Pattern.compile(
          "^(not ok|ok)\\b\\s*(\\d+)?\\s*(?:-\\s*)?([^#]*?)\\s*(?:#\\s*(\\w+)\\s*(.*))?$");

  private Tap() {}

  static List<TestCaseResult> parse(String text) {
    List<TestCaseResult> out = new ArrayList<>();
    for (String raw : text.split("\r?\n")) {
      Matcher m = LINE.matcher(raw.strip());
      if (!m.matches()) {
        continue;
      }
      boolean ok = m.group(1).equals("ok");
      String name =
          m.group(3).isBlank()
              ? "test " + (m.group(2) == null ? out.size() + 1 : m.group(2))
              : m.group(3).strip();
      String directive = m.group(4) == null ? "" : m.group(4).toUpperCase(Locale.ROOT);
      CaseStatus status;
      if (directive.equals("SKIP") || directive.equals("TODO") && !ok) {
        status = CaseStatus.SKIPPED;
      } else {
        status = ok ? CaseStatus.PASSED : CaseStatus.FAILED;
      }
      String why = m.group(5) == null ? "" : m.group(5).strip();
      out.add(
          new TestCaseResult(
              name,
              status,
              why.isEmpty() ? Optional.empty() : Optional.of(why),
              Duration.ZERO,
              true));
    }
    return out;
  }
}
