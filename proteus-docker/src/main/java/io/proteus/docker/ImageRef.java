package io.proteus.docker;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image name parsed into its parts: {@code [registry/]repository[:tag][@digest]}, checked
 * against Docker's reference grammar (path components in lower case, tags of at most 128
 * characters, {@code sha256}, {@code sha384} or {@code sha512} digests in lower-case hex, at most
 * 255 characters of name).
 *
 * <p>For matching, names are normalised as Docker does: a first component that has no {@code .} or
 * {@code :} and is not {@code localhost} is not a registry, so the image is on Docker Hub ({@code
 * docker.io}); a Hub image of one component is in {@code library/}; {@code index.docker.io} is
 * {@code docker.io}; registries compare in lower case. So {@code busybox}, {@code library/busybox},
 * {@code docker.io/busybox} and {@code index.docker.io/library/busybox} are the same image.
 *
 * @param repository the repository as written, with its registry if it names one
 * @param tag the tag; {@code latest} when neither a tag nor a digest is given
 * @param digest the digest, such as {@code sha256:...}
 */
public record ImageRef(String repository, Optional<String> tag, Optional<String> digest) {
  /** Docker Hub, as names normalise to it. */
  public static final String HUB = "docker.io";

  private static final int MAX_NAME = 255;
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
              + "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]{1,5})?");
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}");

  /** Checks the parts. */
  public ImageRef {
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = Optional.of("latest");
    }
    String why = problem(repository, tag, digest);
    if (why != null) {
      throw new IllegalArgumentException(
          "not an image name: '" + printable(repository) + "': " + why);
    }
  }

  /**
   * Parses an image name.
   *
   * @throws IllegalArgumentException when it is not a valid image reference
   */
  public static ImageRef parse(String name) {
    if (name == null || name.length() > MAX_NAME + 256) {
      throw new IllegalArgumentException("not an image name: too long or missing");
    }
    String s = name;
    Optional<String> digest = Optional.empty();
    int at = s.indexOf('@');
    if (at >= 0) {
      digest = Optional.of(s.substring(at + 1));
      s = s.substring(0, at);
    }
    Optional<String> tag = Optional.empty();
    int colon = s.lastIndexOf(':');
    if (colon > s.lastIndexOf('/')) {
      tag = Optional.of(s.substring(colon + 1));
      s = s.substring(0, colon);
    }
    try {
      return new ImageRef(s, tag, digest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "not an image name: '" + printable(name) + "': " + reason(e), e);
    }
  }

  private static String reason(IllegalArgumentException e) {
    String m = String.valueOf(e.getMessage());
    int i = m.indexOf("': ");
    return i < 0 ? m : m.substring(i + 3);
  }

  private static String problem(String repository, Optional<String> tag, Optional<String> digest) {
    if (repository.isEmpty()) {
      return "no repository";
    }
    if (repository.length() > MAX_NAME) {
      return "the name is longer than " + MAX_NAME + " characters";
    }
    if (tag.isPresent() && !TAG.matcher(tag.get()).matches()) {
      return "the tag '" + printable(tag.get()) + "' is not a valid tag";
    }
    if (digest.isPresent() && !DIGEST.matcher(digest.get()).matches()) {
      return "the digest is not sha256, sha384 or sha512 in lower-case hex";
    }
    String[] parts = repository.split("/", -1);
    int first = 0;
    if (parts.length > 1 && looksLikeDomain(parts[0])) {
      if (!DOMAIN.matcher(parts[0]).matches()) {
        return "'" + printable(parts[0]) + "' is not a valid registry";
      }
      first = 1;
    }
    for (int i = first; i < parts.length; i++) {
      if (!COMPONENT.matcher(parts[i]).matches()) {
        return parts[i].chars().anyMatch(Character::isUpperCase)
            ? "repository names must be lower case"
            : "'" + printable(parts[i]) + "' is not a valid path component";
      }
    }
    return null;
  }

  /** Whether Docker reads this first component of a name as a registry. */
  static boolean looksLikeDomain(String first) {
    return first.contains(".")
        || first.contains(":")
        || first.equals("localhost")
        || !first.toLowerCase(Locale.ROOT).equals(first);
  }

  static String printable(String s) {
    String t = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return t.replaceAll("[\\p{Cntrl}\\s]", "?");
  }

  /** The registry this image names as written (host and port), if it names one. */
  public Optional<String> registry() {
    int slash = repository.indexOf('/');
    return slash > 0 && looksLikeDomain(repository.substring(0, slash))
        ? Optional.of(repository.substring(0, slash))
        : Optional.empty();
  }

  /** The registry, normalised: lower case, {@code docker.io} for Docker Hub. */
  public String domain() {
    String d = registry().map(r -> r.toLowerCase(Locale.ROOT)).orElse(HUB);
    return d.equals("index.docker.io") ? HUB : d;
  }

  /** The repository's path without its registry, normalised ({@code library/} on the Hub). */
  public String path() {
    String p = registry().map(r -> repository.substring(r.length() + 1)).orElse(repository);
    return domain().equals(HUB) && !p.contains("/") ? "library/" + p : p;
  }

  /** {@code domain/path}: the same for every spelling of the same repository. */
  public String normalizedName() {
    return domain() + "/" + path();
  }

  /** {@code repository:tag} (or {@code repository@digest}), as the daemon knows it. */
  public String canonical() {
    return repository + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }

  @Override
  public String toString() {
    return canonical();
  }
}
