package io.proteus.docker;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An allowlist entry: {@code repository[:tag]} where {@code *} matches any run of characters but
 * {@code /}, and {@code **} any run at all; {@code @sha256:...} pins the image to one digest or
 * image id.
 *
 * @param text the pattern as written
 */
public record ImagePattern(String text) {

  /** Checks the pattern can be read. */
  public ImagePattern {
    if (text.isBlank()) {
      throw new IllegalArgumentException("an image pattern must not be empty");
    }
  }

  /** The pinned digest, if the pattern has one. */
  public Optional<String> pinnedDigest() {
    int at = text.indexOf('@');
    return at < 0 ? Optional.empty() : Optional.of(text.substring(at + 1));
  }

  /** Whether an image's name matches, ignoring any pin. */
  public boolean matchesName(ImageRef image) {
    String name = text.indexOf('@') < 0 ? text : text.substring(0, text.indexOf('@'));
    String target = image.repository() + image.tag().map(t -> ":" + t).orElse("");
    if (!name.contains(":") || name.lastIndexOf(':') < name.lastIndexOf('/')) {
      target = image.repository();
    }
    return regex(name).matcher(target).matches();
  }

  private static Pattern regex(String glob) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          b.append(".*");
          i++;
        } else {
          b.append("[^/]*");
        }
      } else {
        b.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(b.toString());
  }
}
