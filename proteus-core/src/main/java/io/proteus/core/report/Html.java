package io.proteus.core.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/** Escaping, the page's resource files and its template, for {@link HtmlReport}. */
final class Html {
  /** Terminal colour and cursor sequences, which a log viewer would interpret and a page cannot. */
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]");

  private Html() {}

  /**
   * The text, safe as element content and as a quoted attribute value; control characters other
   * than newline and tab are dropped, so a log's terminal codes do not end up in the page.
   */
  static String esc(String s) {
    String text = s.indexOf('\u001B') >= 0 ? ANSI.matcher(s).replaceAll("") : s;
    StringBuilder b = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if ((ch >= 0x20 && ch != 0x7F) || ch == '\n' || ch == '\t') {
            b.append(ch);
          }
        }
      }
    }
    return b.toString();
  }

  /** A resource file next to this class, as text. */
  static String resource(String name) {
    try (InputStream in = Html.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the report's resource " + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the report's resource " + name, e);
    }
  }

  /**
   * The template with each {@code {{name}}} replaced by its value. Values are inserted as given and
   * never scanned again, so a value that holds {@code {{...}}} stays as it is.
   */
  static String render(String template, Map<String, String> values) {
    StringBuilder out = new StringBuilder(template.length() * 2);
    int from = 0;
    while (true) {
      int open = template.indexOf("{{", from);
      if (open < 0) {
        return out.append(template, from, template.length()).toString();
      }
      int close = template.indexOf("}}", open);
      if (close < 0) {
        throw new IllegalArgumentException("an unclosed {{ in the report's template");
      }
      String name = template.substring(open + 2, close);
      String value = values.get(name);
      if (value == null) {
        throw new IllegalArgumentException("the report's template names no value " + name);
      }
      out.append(template, from, open).append(value);
      from = close + 2;
    }
  }

  /** The CSP source that allows exactly this inline script or style: {@code 'sha256-...'}. */
  static String cspHash(String content) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
