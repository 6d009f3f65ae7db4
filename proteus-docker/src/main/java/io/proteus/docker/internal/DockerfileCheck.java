package io.proteus.docker.internal;

import io.proteus.EngineException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Dockerfile the way Docker's parser does (parser directives, the escape character, line
 * continuations, comments inside them, builder flags with quotes) and lists every image a build of
 * it can pull: {@code FROM} images, {@code COPY --from} and {@code ADD --from} images, and {@code
 * RUN --mount=...,from=} images, also inside {@code ONBUILD}. Names of earlier stages ({@code FROM
 * x AS name}, or a stage's index) are not images. Variables in {@code FROM} are resolved from the
 * defaults of the {@code ARG}s before the first {@code FROM} only; a variable without a default,
 * one Docker sets by itself, or any variable in a {@code --from}, is refused, as is a {@code #
 * syntax=} directive (it pulls a frontend image). Refusals are {@link EngineException}s.
 */
public final class DockerfileCheck {
  /** The largest Dockerfile read. */
  public static final int MAX_BYTES = 1 << 20;

  private static final Pattern DIRECTIVE =
      Pattern.compile("^#[ \\t]*([a-zA-Z][a-zA-Z0-9]*)[ \\t]*=[ \\t]*(.+?)[ \\t]*$");
  private static final Set<String> AUTOMATIC =
      Set.of(
          "TARGETPLATFORM",
          "TARGETOS",
          "TARGETARCH",
          "TARGETVARIANT",
          "BUILDPLATFORM",
          "BUILDOS",
          "BUILDARCH",
          "BUILDVARIANT",
          "HTTP_PROXY",
          "HTTPS_PROXY",
          "FTP_PROXY",
          "NO_PROXY",
          "ALL_PROXY",
          "http_proxy",
          "https_proxy",
          "ftp_proxy",
          "no_proxy",
          "all_proxy");

  /**
   * An image the build can pull.
   *
   * @param image the name, variables resolved
   * @param line the Dockerfile line it is on (1-based)
   * @param how how it is used: {@code FROM}, {@code COPY --from}, {@code RUN --mount from}, ...
   */
  public record Use(String image, int line, String how) {}

  /**
   * A {@code FROM} image, whose {@code ONBUILD} triggers run in this build.
   *
   * @param image the image
   * @param stagesBefore the stage names defined before it, lower case
   * @param index the index of the stage it starts
   */
  public record Base(String image, Set<String> stagesBefore, int index) {}

  /**
   * What a Dockerfile uses.
   *
   * @param images every image it can pull
   * @param bases its {@code FROM} images
   */
  public record Result(List<Use> images, List<Base> bases) {}

  private final char escape;
  private final Map<String, Optional<String>> globalArgs = new LinkedHashMap<>();
  private final Set<String> unresolved = new HashSet<>();
  private final Set<String> stages = new HashSet<>();
  private final List<Use> images = new ArrayList<>();
  private final List<Base> bases = new ArrayList<>();
  private int stageCount;

  private DockerfileCheck(char escape) {
    this.escape = escape;
  }

  /** Reads {@code dockerfile}; refuses what it cannot check. */
  public static Result check(byte[] dockerfile) {
    if (dockerfile.length > MAX_BYTES) {
      throw PolicyCheck.refused("the Dockerfile is larger than " + MAX_BYTES + " bytes");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(dockerfile))
              .toString();
    } catch (CharacterCodingException e) {
      throw PolicyCheck.refused("the Dockerfile is not UTF-8 text");
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\n", -1);
    char escape = '\\';
    int first = 0;
    Set<String> seen = new HashSet<>();
    for (; first < lines.length; first++) {
      Matcher m = DIRECTIVE.matcher(stripCr(lines[first]));
      if (!m.matches()) {
        break;
      }
      String key = m.group(1).toLowerCase(Locale.ROOT);
      if (!key.equals("escape") && !key.equals("syntax") && !key.equals("check")) {
        break;
      }
      if (!seen.add(key)) {
        throw PolicyCheck.refused("the Dockerfile repeats the '" + key + "' parser directive");
      }
      if (key.equals("syntax")) {
        throw PolicyCheck.refused(
            "the Dockerfile asks for the frontend image "
                + Labels.clean(m.group(2))
                + " ('# syntax='); builds may not pull frontends");
      }
      if (key.equals("escape")) {
        if (!m.group(2).equals("\\") && !m.group(2).equals("`")) {
          throw PolicyCheck.refused("the Dockerfile's escape character must be \\ or `");
        }
        escape = m.group(2).charAt(0);
      }
    }
    DockerfileCheck c = new DockerfileCheck(escape);
    c.read(lines, first);
    return new Result(List.copyOf(c.images), List.copyOf(c.bases));
  }

  /**
   * The images that {@code ONBUILD} triggers of a base image pull when they run in a stage that
   * starts from it.
   */
  public static List<Use> triggers(List<String> instructions, Base base) {
    DockerfileCheck c = new DockerfileCheck('\\');
    c.stages.addAll(base.stagesBefore());
    c.stageCount = base.index();
    for (String i : instructions) {
      c.instruction(i, 0, "ONBUILD of " + base.image());
    }
    return List.copyOf(c.images);
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private void read(String[] lines, int from) {
    Pattern continuation = Pattern.compile(Pattern.quote(String.valueOf(escape)) + "[ \\t]*$");
    StringBuilder logical = null;
    int start = 0;
    for (int i = from; i < lines.length; i++) {
      String raw = stripCr(lines[i]);
      boolean comment = raw.stripLeading().startsWith("#");
      if (logical == null) {
        String line = raw.stripLeading();
        if (line.isEmpty() || comment) {
          continue;
        }
        logical = new StringBuilder();
        start = i + 1;
        raw = line;
      } else if (comment || raw.isBlank()) {
        continue;
      }
      Matcher m = continuation.matcher(raw);
      if (m.find()) {
        logical.append(raw, 0, m.start());
        continue;
      }
      logical.append(raw);
      instruction(logical.toString(), start, null);
      logical = null;
    }
    if (logical != null) {
      instruction(logical.toString(), start, null);
    }
  }

  private void instruction(String line, int number, String context) {
    String s = line.strip();
    int space = indexOfSpace(s);
    String word = (space < 0 ? s : s.substring(0, space)).toUpperCase(Locale.ROOT);
    String rest = space < 0 ? "" : s.substring(space).stripLeading();
    switch (word) {
      case "ONBUILD" -> instruction(rest, number, context);
      case "ARG" -> {
        if (stageCount == 0 && context == null) {
          arg(rest, number);
        }
      }
      case "FROM" -> from(rest, number);
      case "COPY", "ADD" -> copy(word, rest, number, context);
      case "RUN" -> run(rest, number, context);
      default -> {
        // no image in it
      }
    }
  }

  private static int indexOfSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private void arg(String rest, int line) {
    for (String w : words(rest)) {
      int eq = w.indexOf('=');
      String name = eq < 0 ? w : w.substring(0, eq);
      unresolved.remove(name);
      Optional<String> value = Optional.empty();
      if (eq >= 0) {
        try {
          value = Optional.of(expand(w.substring(eq + 1), line));
        } catch (EngineException e) {
          unresolved.add(name);
        }
      }
      globalArgs.put(name, value);
    }
  }

  private void from(String rest, int line) {
    Flags f = Flags.extract(rest);
    List<String> args = words(f.rest());
    if (args.size() != 1 && !(args.size() == 3 && args.get(1).equalsIgnoreCase("AS"))) {
      throw PolicyCheck.refused(
          "the Dockerfile's FROM on line " + line + " is not FROM image [AS name]");
    }
    Set<String> before = Set.copyOf(stages);
    String image = expand(args.get(0), line);
    if (!image.equals("scratch") && !stages.contains(image.toLowerCase(Locale.ROOT))) {
      images.add(new Use(image, line, "FROM"));
      bases.add(new Base(image, before, stageCount));
    }
    stageCount++;
    if (args.size() == 3) {
      stages.add(args.get(2).toLowerCase(Locale.ROOT));
    }
  }

  private void copy(String word, String rest, int line, String context) {
    for (Flags.Flag flag : Flags.extract(rest).flags()) {
      if (flag.name().equalsIgnoreCase("from")) {
        source(flag.value(), line, word + " --from", context);
      }
    }
  }

  private void run(String rest, int line, String context) {
    for (Flags.Flag flag : Flags.extract(rest).flags()) {
      if (!flag.name().equalsIgnoreCase("mount")) {
        continue;
      }
      for (String field : Flags.csv(flag.value(), line)) {
        int eq = field.indexOf('=');
        if (eq > 0 && field.substring(0, eq).strip().equalsIgnoreCase("from")) {
          source(field.substring(eq + 1), line, "RUN --mount from", context);
        }
      }
    }
  }

  /** A {@code --from} value: an earlier stage by name or index, or else an image. */
  private void source(String value, int line, String how, String context) {
    String where = context == null ? "line " + line : context;
    if (value.indexOf('$') >= 0 || value.indexOf(escape) >= 0) {
      throw PolicyCheck.refused(
          "the Dockerfile's "
              + how
              + " on "
              + where
              + " uses a variable ("
              + Labels.clean(value)
              + "); the engine cannot check what it pulls");
    }
    String v = value.strip();
    if (stages.contains(v.toLowerCase(Locale.ROOT))) {
      return;
    }
    if (v.matches("[0-9]{1,6}") && Integer.parseInt(v) < stageCount) {
      return;
    }
    images.add(new Use(v, line, context == null ? how : how + " in " + context));
  }

  /** Whitespace-separated words; quotes and escapes keep what they hold together. */
  private List<String> words(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote == 0 && Character.isWhitespace(c)) {
        if (!w.isEmpty()) {
          out.add(w.toString());
          w.setLength(0);
        }
        continue;
      }
      if (c == escape && i + 1 < s.length()) {
        w.append(c).append(s.charAt(++i));
        continue;
      }
      if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      }
      w.append(c);
    }
    if (!w.isEmpty()) {
      out.add(w.toString());
    }
    return out;
  }

  /** A word with quotes removed and variables replaced by the global ARG defaults. */
  String expand(String word, int line) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < word.length()) {
      char c = word.charAt(i);
      if (c == escape) {
        if (i + 1 < word.length()) {
          out.append(word.charAt(i + 1));
        }
        i += 2;
      } else if (c == '\'') {
        int end = word.indexOf('\'', i + 1);
        if (end < 0) {
          throw unresolvable(word, line, "an unterminated quote");
        }
        out.append(word, i + 1, end);
        i = end + 1;
      } else if (c == '"') {
        i++;
        while (i < word.length() && word.charAt(i) != '"') {
          char d = word.charAt(i);
          if (d == escape && i + 1 < word.length()) {
            out.append(word.charAt(i + 1));
            i += 2;
          } else if (d == '$') {
            i = variable(word, i, out, line);
          } else {
            out.append(d);
            i++;
          }
        }
        if (i >= word.length()) {
          throw unresolvable(word, line, "an unterminated quote");
        }
        i++;
      } else if (c == '$') {
        i = variable(word, i, out, line);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private int variable(String word, int at, StringBuilder out, int line) {
    int i = at + 1;
    if (i >= word.length()) {
      out.append('$');
      return i;
    }
    if (word.charAt(i) == '{') {
      int close = closingBrace(word, i);
      if (close < 0) {
        throw unresolvable(word, line, "an unterminated ${");
      }
      String inner = word.substring(i + 1, close);
      Matcher m =
          Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?", Pattern.DOTALL)
              .matcher(inner);
      if (!m.matches()) {
        throw unresolvable(word, line, "${" + inner + "}, which the engine does not read");
      }
      String name = m.group(1);
      Optional<String> value = lookup(name, word, line, m.group(2) == null);
      if (m.group(2) == null) {
        out.append(value.orElseThrow());
      } else {
        boolean colon = m.group(2).startsWith(":");
        boolean set = value.isPresent() && (!colon || !value.get().isEmpty());
        String alt = expand(m.group(3), line);
        if (m.group(2).endsWith("-")) {
          out.append(set ? value.get() : alt);
        } else {
          out.append(set ? alt : "");
        }
      }
      return close + 1;
    }
    int end = i;
    while (end < word.length()
        && (Character.isLetterOrDigit(word.charAt(end)) || word.charAt(end) == '_')
        && (end > i || !Character.isDigit(word.charAt(end)))) {
      end++;
    }
    if (end == i) {
      out.append('$');
      return i;
    }
    out.append(lookup(word.substring(i, end), word, line, true).orElseThrow());
    return end;
  }

  private static int closingBrace(String word, int open) {
    int depth = 0;
    for (int i = open; i < word.length(); i++) {
      if (word.charAt(i) == '{') {
        depth++;
      } else if (word.charAt(i) == '}' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private Optional<String> lookup(String name, String word, int line, boolean required) {
    if (AUTOMATIC.contains(name)) {
      throw unresolvable(word, line, "$" + name + ", which Docker sets by itself");
    }
    if (unresolved.contains(name)) {
      throw unresolvable(word, line, "$" + name + ", an ARG whose default the engine cannot read");
    }
    Optional<String> v = globalArgs.getOrDefault(name, Optional.empty());
    if (required && v.isEmpty()) {
      throw unresolvable(
          word,
          line,
          "$"
              + name
              + (globalArgs.containsKey(name)
                  ? ", an ARG without a default"
                  : ", which no ARG before the first FROM declares"));
    }
    return v;
  }

  private static EngineException unresolvable(String word, int line, String what) {
    return PolicyCheck.refused(
        "the Dockerfile's line "
            + line
            + " names its image with "
            + what
            + " ('"
            + Labels.clean(word)
            + "'); the engine cannot tell which image it pulls");
  }
}
