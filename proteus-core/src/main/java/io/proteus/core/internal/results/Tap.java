package io.proteus.core.internal.results;

import io.proteus.model.CaseStatus;
import io.proteus.model.TestCaseResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads TAP: {@code ok 1 - name}, {@code not ok 2 - name}, with {@code # SKIP} and {@code # TODO}.
 * Parsed by hand in one pass per line, so a long line costs linear time.
 */
final class Tap {
  private Tap() {}

  static List<TestCaseResult> parse(String text) {
    List<TestCaseResult> out = new ArrayList<>();
    for (String raw : text.split("\r?\n", -1)) {
      parseLine(raw.strip(), out);
      if (out.size() > ResultFiles.MAX_CASES) {
        break;
      }
    }
    return out;
  }

  private static void parseLine(String line, List<TestCaseResult> out) {
    boolean ok;
    int i;
    if (line.startsWith("not ok")) {
      ok = false;
      i = 6;
    } else if (line.startsWith("ok")) {
      ok = true;
      i = 2;
    } else {
      return;
    }
    if (i < line.length() && isWord(line.charAt(i))) {
      return;
    }
    i = skipSpaces(line, i);
    int numberStart = i;
    while (i < line.length() && Character.isDigit(line.charAt(i))) {
      i++;
    }
    String number = line.substring(numberStart, i);
    i = skipSpaces(line, i);
    if (i < line.length() && line.charAt(i) == '-') {
      i = skipSpaces(line, i + 1);
    }
    int hash = line.indexOf('#', i);
    String description = (hash < 0 ? line.substring(i) : line.substring(i, hash)).strip();
    String directive = "";
    String why = "";
    if (hash >= 0) {
      int d = skipSpaces(line, hash + 1);
      int w = d;
      while (w < line.length() && isWord(line.charAt(w))) {
        w++;
      }
      directive = line.substring(d, w).toUpperCase(Locale.ROOT);
      why = line.substring(w).strip();
    }
    String name =
        description.isEmpty()
            ? "test " + (number.isEmpty() ? Integer.toString(out.size() + 1) : number)
            : description;
    CaseStatus status;
    if (directive.equals("SKIP") || (directive.equals("TODO") && !ok)) {
      status = CaseStatus.SKIPPED;
    } else {
      status = ok ? CaseStatus.PASSED : CaseStatus.FAILED;
    }
    out.add(ResultFiles.bounded(name, status, why, Duration.ZERO));
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isWord(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
