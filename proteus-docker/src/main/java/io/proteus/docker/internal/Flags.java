package io.proteus.docker.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Builder flags at the start of a Dockerfile instruction ({@code --from=x}, {@code --mount=...}),
 * split exactly as Docker's parser splits them: words that start with {@code --}, quotes and
 * backslashes honoured, up to the first word that does not.
 *
 * @param flags the flags, in order
 * @param rest the instruction's arguments after them
 */
record Flags(List<Flag> flags, String rest) {

  /**
   * One flag.
   *
   * @param name its name, without the dashes
   * @param value its value; empty for a flag without {@code =}
   */
  record Flag(String name, String value) {}

  static Flags extract(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean blankOk = false;
    char quote = 0;
    int phase = 0; // 0: between words, 1: in a word, 2: in a quote
    String rest = "";
    for (int pos = 0; pos <= line.length(); pos++) {
      char ch = pos < line.length() ? line.charAt(pos) : 0;
      if (phase == 0) {
        if (pos == line.length()) {
          break;
        }
        if (Character.isWhitespace(ch)) {
          continue;
        }
        if (ch != '-' || pos + 1 == line.length() || line.charAt(pos + 1) != '-') {
          rest = line.substring(pos);
          break;
        }
        phase = 1;
      }
      if (pos == line.length()) {
        if (!word.toString().equals("--") && (blankOk || !word.isEmpty())) {
          words.add(word.toString());
        }
        break;
      }
      if (phase == 1) {
        if (Character.isWhitespace(ch)) {
          phase = 0;
          if (word.toString().equals("--")) {
            rest = line.substring(pos);
            word.setLength(0);
            break;
          }
          if (blankOk || !word.isEmpty()) {
            words.add(word.toString());
          }
          word.setLength(0);
          blankOk = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blankOk = true;
          phase = 2;
          continue;
        }
        if (ch == '\\') {
          if (pos + 1 == line.length()) {
            continue;
          }
          ch = line.charAt(++pos);
        }
        word.append(ch);
        continue;
      }
      if (ch == quote) {
        phase = 1;
        continue;
      }
      if (ch == '\\') {
        if (pos + 1 == line.length()) {
          phase = 1;
          continue;
        }
        ch = line.charAt(++pos);
      }
      word.append(ch);
    }
    List<Flag> flags = new ArrayList<>();
    for (String w : words) {
      String arg = w.startsWith("--") ? w.substring(2) : w;
      int eq = arg.indexOf('=');
      flags.add(eq < 0 ? new Flag(arg, "") : new Flag(arg.substring(0, eq), arg.substring(eq + 1)));
    }
    return new Flags(List.copyOf(flags), rest);
  }

  /** The fields of a CSV value ({@code --mount}'s), quotes removed. */
  static List<String> csv(String value, int line) {
    List<String> fields = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < value.length() && value.charAt(i + 1) == '"') {
            f.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          f.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(f.toString());
        f.setLength(0);
      } else {
        f.append(c);
      }
    }
    if (quoted) {
      throw PolicyCheck.refused(
          "the Dockerfile's --mount on line " + line + " has an unterminated quote");
    }
    fields.add(f.toString());
    return fields;
  }
}
