package io.proteus.core.internal.artifacts;

import io.proteus.ArtifactException;
import io.proteus.core.artifacts.Manifest;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/** One registration's files, as the server reads them: open by segments, and list. */
public interface JobFiles {

  /**
   * The file at these segments (already checked by {@link FilePaths}), open, with its size and
   * digest; empty when there is no such regular file inside the registered files.
   */
  Optional<OpenFile> open(List<String> segments) throws IOException;

  /**
   * Every file, with sizes and digests, within the limits.
   *
   * @throws ArtifactException with {@code TOO_LARGE} when the files break a limit
   */
  Manifest manifest(ManifestLimits limits) throws IOException;

  /** An open file the server is about to send. */
  interface OpenFile extends Closeable {
    /** Its length. */
    long size();

    /** Its SHA-256 in hex. */
    String sha256();

    /** Writes {@code length} bytes from offset {@code from} to {@code out}. */
    void copy(long from, long length, OutputStream out) throws IOException;
  }

  /**
   * How much one manifest may cover.
   *
   * @param maxFiles the most files listed
   * @param maxBytes the most bytes hashed to list them
   */
  record ManifestLimits(int maxFiles, long maxBytes) {}
}
