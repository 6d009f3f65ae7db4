package io.proteus.core.internal.artifacts;

import io.proteus.ArtifactException;
import io.proteus.core.artifacts.Manifest;
import io.proteus.model.JobId;
import io.proteus.spi.BuildFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * A job's files as a {@link BuildFiles} and the list of paths it serves: only listed paths are
 * served, each read through {@link BuildFiles#open} (which keeps it inside the build). A file's
 * size and digest are read once, by a first pass over its bytes, and kept for the registration.
 */
public final class ListedFiles implements JobFiles {
  private final JobId job;
  private final BuildFiles files;
  private final Set<String> paths;
  private final Map<String, Sha256.Sized> known = new ConcurrentHashMap<>();
  private final long maxFileBytes;

  /**
   * The listed paths of {@code files}; every path must pass {@link FilePaths#split}.
   *
   * @param maxFileBytes the longest file read to learn its digest
   */
  public ListedFiles(JobId job, BuildFiles files, Collection<String> paths, long maxFileBytes) {
    this.job = job;
    this.files = files;
    this.maxFileBytes = maxFileBytes;
    this.paths = new ConcurrentSkipListSet<>();
    add(paths);
  }

  /**
   * Serves {@code more} paths too; whether any was new. Every path must pass {@link
   * FilePaths#split}; none is added when one does not.
   */
  public boolean add(Collection<String> more) {
    for (String p : more) {
      if (FilePaths.split(p).isEmpty()) {
        throw new IllegalArgumentException("not a relative path the server can serve: " + p);
      }
    }
    return paths.addAll(more);
  }

  @Override
  public Optional<OpenFile> open(List<String> segments) throws IOException {
    String path = String.join("/", segments);
    if (!paths.contains(path)) {
      return Optional.empty();
    }
    Sha256.Sized sized = known.get(path);
    try {
      if (sized == null) {
        try (InputStream in = files.open(path)) {
          sized = Sha256.of(in, maxFileBytes);
        }
        known.put(path, sized);
      }
      return Optional.of(new StreamFile(path, sized));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public Manifest manifest(ManifestLimits limits) throws IOException {
    if (paths.size() > limits.maxFiles()) {
      throw tooLarge(limits);
    }
    List<Manifest.Entry> entries = new ArrayList<>();
    long bytes = 0;
    for (String path : paths) {
      Optional<OpenFile> f = open(FilePaths.split(path).orElseThrow());
      if (f.isPresent()) {
        bytes += f.get().size();
        if (bytes > limits.maxBytes()) {
          throw tooLarge(limits);
        }
        entries.add(new Manifest.Entry(path, f.get().size(), f.get().sha256()));
      }
    }
    return new Manifest(job, entries);
  }

  private ArtifactException tooLarge(ManifestLimits limits) {
    return new ArtifactException(
        ArtifactException.Reason.TOO_LARGE,
        "job "
            + job
            + " has more than "
            + limits.maxFiles()
            + " files or "
            + limits.maxBytes()
            + " bytes to list");
  }

  private final class StreamFile implements OpenFile {
    private final String path;
    private final Sha256.Sized sized;

    StreamFile(String path, Sha256.Sized sized) {
      this.path = path;
      this.sized = sized;
    }

    @Override
    public long size() {
      return sized.size();
    }

    @Override
    public String sha256() {
      return sized.sha256();
    }

    @Override
    public void copy(long from, long length, OutputStream out) throws IOException {
      try (InputStream in = files.open(path)) {
        in.skipNBytes(from);
        byte[] buf = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            throw new IOException("the file got shorter while it was sent: " + path);
          }
          out.write(buf, 0, n);
          left -= n;
        }
      }
    }

    @Override
    public void close() {}
  }
}
