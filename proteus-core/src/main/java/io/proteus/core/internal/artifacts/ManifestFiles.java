package io.proteus.core.internal.artifacts;

import io.proteus.ArtifactException;
import io.proteus.core.artifacts.Manifest;
import io.proteus.spi.BuildFiles;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * A remote job's files as {@link BuildFiles}, for a worker to stage from: a path the manifest does
 * not list is {@link NoSuchFileException}; a listed one comes from the cache, downloaded first if
 * it is not there. The file stays pinned in the cache (never evicted) until its stream is closed.
 */
public final class ManifestFiles implements BuildFiles {
  private final Fetching fetching;
  private final HttpUrl base;
  private final String token;
  private final Map<String, Manifest.Entry> entries;
  private final String job;

  /** The files of {@code manifest}, fetched from the job's {@code base} URL with {@code token}. */
  public ManifestFiles(Fetching fetching, HttpUrl base, String token, Manifest manifest) {
    this.fetching = fetching;
    this.base = base;
    this.token = token;
    this.entries = manifest.byPath();
    this.job = manifest.job().value();
  }

  @Override
  public InputStream open(String relativePath) throws IOException {
    Manifest.Entry e = entries.get(relativePath);
    if (e == null) {
      throw new NoSuchFileException(relativePath, null, "the manifest does not list it");
    }
    ContentCache cache = fetching.cache();
    for (int i = 0; i < 3; i++) {
      try {
        fetching.fetch(
            Fetching.fileUrl(base, e.path()),
            token,
            e.sha256(),
            e.size(),
            "job " + job + " file " + e.path());
      } catch (ArtifactException x) {
        if (x.reason() == ArtifactException.Reason.NOT_FOUND) {
          throw new NoSuchFileException(relativePath, null, x.getMessage());
        }
        throw new IOException(x.getMessage(), x);
      }
      Path p = cache.pin(e.sha256(), e.size()).orElse(null);
      if (p != null) {
        InputStream in;
        try {
          in = Files.newInputStream(p);
        } catch (IOException x) {
          cache.unpin(e.sha256());
          throw x;
        }
        return new Pinned(in, cache, e.sha256());
      }
      // evicted between the fetch and the pin: fetch again
    }
    throw new IOException(
        "job " + job + " file " + e.path() + ": evicted from the cache as soon as fetched");
  }

  private static final class Pinned extends FilterInputStream {
    private final ContentCache cache;
    private final String sha;
    private boolean closed;

    Pinned(InputStream in, ContentCache cache, String sha) {
      super(in);
      this.cache = cache;
      this.sha = sha;
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        try {
          super.close();
        } finally {
          cache.unpin(sha);
        }
      }
    }
  }
}
