package io.proteus.docker;

import java.util.Optional;

/**
 * An image name parsed into its parts: {@code [registry/]repository[:tag][@sha256:digest]}.
 *
 * @param repository the repository, with its registry if it names one
 * @param tag the tag; {@code latest} when none is given and no digest is
 * @param digest the digest, such as {@code sha256:...}
 */
public record ImageRef(String repository, Optional<String> tag, Optional<String> digest) {

  /** Parses an image name. */
  public static ImageRef parse(String name) {
    String s = name.trim();
    if (s.isEmpty() || s.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("not an image name: '" + name + "'");
    }
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
    if (s.isEmpty()
        || tag.map(String::isEmpty).orElse(false)
        || digest.map(String::isEmpty).orElse(false)) {
      throw new IllegalArgumentException("not an image name: '" + name + "'");
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = Optional.of("latest");
    }
    return new ImageRef(s, tag, digest);
  }

  /** The registry this image names, if its first part looks like a host. */
  public Optional<String> registry() {
    int slash = repository.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    String first = repository.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost")
        ? Optional.of(first)
        : Optional.empty();
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
