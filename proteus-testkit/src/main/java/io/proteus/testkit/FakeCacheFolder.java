package io.proteus.testkit;

import io.proteus.spi.CacheFolder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A cache folder held in memory: files are put with {@link #put}, its size is their total, its
 * archive a tar of them, and {@link #delete} empties it and records that it happened.
 */
public final class FakeCacheFolder implements CacheFolder {
  private final String name;
  private final Path path;
  private final Map<String, byte[]> files = new TreeMap<>();
  private int deletions;

  /** A cache with this name, pretending to live at {@code path}. */
  public FakeCacheFolder(String name, Path path) {
    this.name = name;
    this.path = path;
  }

  /** Stores a file in the cache. */
  public synchronized FakeCacheFolder put(String relativePath, String content) {
    files.put(relativePath, content.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public synchronized long size() {
    return files.values().stream().mapToLong(b -> b.length).sum();
  }

  @Override
  public synchronized void archive(OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
      entry.setSize(e.getValue().length);
      tar.putArchiveEntry(entry);
      tar.write(e.getValue());
      tar.closeArchiveEntry();
    }
    tar.finish();
  }

  @Override
  public synchronized void delete() {
    files.clear();
    deletions++;
  }

  /** How many times it was deleted. */
  public synchronized int deletions() {
    return deletions;
  }
}
