package io.proteus.docker;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An allowlist entry: {@code name[:tag][@digest]}, where {@code *} matches any run of characters
 * but {@code /} and {@code **} any run at all.
 *
 * <p>The rule, exactly:
 *
 * <ol>
 *   <li>The name is normalised as {@link ImageRef} normalises image names ({@code busybox} is
 *       {@code docker.io/library/busybox}; the registry in lower case), then matched against the
 *       image's normalised name. A pattern that starts with {@code **} is matched against the whole
 *       normalised name, registry included, so {@code **} allows every image.
 *   <li>An image named by tag (no digest) is allowed when the pattern has no tag, or its tag
 *       matches the pattern's tag (case-sensitive).
 *   <li>An image named by digest ({@code name@sha256:…}, with or without a tag) is allowed only by
 *       a pattern with neither tag nor digest, or by a pattern pinned to that same digest. A tag
 *       next to a digest never helps: Docker runs the digest, whatever the tag says.
 *   <li>A pinned pattern ({@code @sha256:…}) that allows an image by its tag allows it only once
 *       the image on the daemon has that digest as its id or as one of its repository digests.
 * </ol>
 *
 * @param text the pattern as written
 */
public record ImagePattern(String text) {
  private static final Pattern NAME_CHARS = Pattern.compile("[A-Za-z0-9._/:*-]+");
  private static final Pattern TAG_CHARS = Pattern.compile("[A-Za-z0-9_.*-]{1,128}");
  private static final Pattern DIGEST =
      Pattern.compile("sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}");

  /** Checks the pattern can be read. */
  public ImagePattern {
    if (text == null || text.isBlank() || text.length() > 512) {
      throw new IllegalArgumentException("an image pattern must have 1 to 512 characters");
    }
    Parts p = parts(text);
    if (!NAME_CHARS.matcher(p.name).matches()) {
      throw new IllegalArgumentException("not an image pattern: '" + text + "'");
    }
    if (p.tag != null && !TAG_CHARS.matcher(p.tag).matches()) {
      throw new IllegalArgumentException("not an image pattern (bad tag): '" + text + "'");
    }
    if (p.digest != null && !DIGEST.matcher(p.digest).matches()) {
      throw new IllegalArgumentException(
          "not an image pattern: the pin must be sha256, sha384 or sha512 in lower-case hex: '"
              + text
              + "'");
    }
  }

  private record Parts(String name, String tag, String digest) {}

  private static Parts parts(String text) {
    String s = text;
    String digest = null;
    int at = s.indexOf('@');
    if (at >= 0) {
      digest = s.substring(at + 1);
      s = s.substring(0, at);
    }
    String tag = null;
    int colon = s.lastIndexOf(':');
    if (colon > s.lastIndexOf('/')) {
      tag = s.substring(colon + 1);
      s = s.substring(0, colon);
    }
    return new Parts(s, tag, digest);
  }

  /** The pinned digest, if the pattern has one. */
  public Optional<String> pinnedDigest() {
    return Optional.ofNullable(parts(text).digest);
  }

  /** The tag pattern, if the pattern has one. */
  public Optional<String> tag() {
    return Optional.ofNullable(parts(text).tag);
  }

  /** Whether an image's normalised name matches this pattern's, ignoring tags and digests. */
  public boolean matchesName(ImageRef image) {
    return regex(normalisedName(parts(text).name)).matcher(image.normalizedName()).matches();
  }

  /**
   * Whether this pattern allows {@code image} by its name, tag and digest (rules 1 to 3); a pinned
   * pattern may still refuse it once the image's digests are known (rule 4).
   */
  public boolean allows(ImageRef image) {
    if (!matchesName(image)) {
      return false;
    }
    Parts p = parts(text);
    if (image.digest().isPresent()) {
      return p.digest == null ? p.tag == null : p.digest.equals(image.digest().get());
    }
    return p.tag == null || regex(p.tag).matcher(image.tag().orElse("latest")).matches();
  }

  private static String normalisedName(String name) {
    if (name.startsWith("**")) {
      return name;
    }
    int slash = name.indexOf('/');
    String domain = ImageRef.HUB;
    String path = name;
    if (slash > 0 && ImageRef.looksLikeDomain(name.substring(0, slash))) {
      domain = name.substring(0, slash).toLowerCase(Locale.ROOT);
      path = name.substring(slash + 1);
      if (domain.equals("index.docker.io")) {
        domain = ImageRef.HUB;
      }
    }
    if (domain.equals(ImageRef.HUB) && !path.contains("/") && !path.contains("**")) {
      path = "library/" + path;
    }
    return domain + "/" + path;
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
