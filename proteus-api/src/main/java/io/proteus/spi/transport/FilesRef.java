package io.proteus.spi.transport;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A build's files as they cross a wire: where an agent fetches them, the credential that lets it,
 * and, when the core knows it, what the build holds. Opaque to the transport; made by a {@link
 * FilesPublisher} on the core and opened by a {@link FilesResolver} on the agent. Its string form
 * never shows the credential.
 *
 * @param location where the files are, such as an artifact server's base URI for the job
 * @param credential a secret the agent presents to fetch them, if one is needed
 * @param manifest the build's files by relative path, with their sizes and digests; empty when not
 *     known
 */
public record FilesRef(URI location, Optional<String> credential, Map<String, FileInfo> manifest) {

  /** The location of a build whose files were not published: an agent can stage nothing. */
  public static final URI UNPUBLISHED = URI.create("proteus:unpublished");

  /** Checks the fields and copies the manifest. */
  public FilesRef {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(credential, "credential");
    manifest = Map.copyOf(manifest);
  }

  /** Files at {@code location}, with no credential and no manifest. */
  public static FilesRef at(URI location) {
    return new FilesRef(location, Optional.empty(), Map.of());
  }

  /** What a core sends when it has no {@link FilesPublisher}. */
  public static FilesRef unpublished() {
    return at(UNPUBLISHED);
  }

  /** Whether these are the files of a core that published none. */
  public boolean isUnpublished() {
    return location.equals(UNPUBLISHED);
  }

  /** The location and manifest size; the credential is never shown. */
  @Override
  public String toString() {
    return "FilesRef["
        + location
        + (credential.isPresent() ? ", credential=***" : "")
        + ", "
        + manifest.size()
        + " files]";
  }

  /**
   * One file of a build.
   *
   * @param size its size in bytes
   * @param sha256 its SHA-256 digest in lower-case hex, when known
   */
  public record FileInfo(long size, Optional<String> sha256) {
    /** Checks the size. */
    public FileInfo {
      if (size < 0) {
        throw new IllegalArgumentException("a file size is not negative: " + size);
      }
      Objects.requireNonNull(sha256, "sha256");
    }
  }
}
