package io.proteus.core.internal.artifacts;

import io.proteus.ArtifactException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files by SHA-256 under {@code <root>/sha256/<first two hex digits>/<hex>}, within a byte budget.
 * A file enters only once its digest was checked, by an atomic move from {@code <root>/partial/}.
 * Room for a download is reserved before it starts: the least recently used files are evicted
 * first, never one that is pinned (open through a build's view) or being written. When the pinned
 * files and the downloads under way leave no room, the reservation fails and nothing is evicted
 * beyond need. Use order survives a restart through the files' modification times. One process uses
 * one cache folder at a time.
 */
public final class ContentCache {
  private static final Logger log = LoggerFactory.getLogger(ContentCache.class);

  private final Path root;
  private final long budget;
  private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long stored;
  private long reserved;

  /** Opens (or makes) a cache under {@code root}: leftover partial files are deleted. */
  public ContentCache(Path root, long budget) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.budget = budget;
    Files.createDirectories(this.root.resolve("sha256"));
    Path partial = this.root.resolve("partial");
    Files.createDirectories(partial);
    try (DirectoryStream<Path> s = Files.newDirectoryStream(partial)) {
      for (Path p : s) {
        Files.deleteIfExists(p);
      }
    }
    load();
    synchronized (this) {
      evictFor(0);
    }
  }

  private void load() throws IOException {
    record Found(String sha, long size, FileTime used) {}
    List<Found> found = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root.resolve("sha256"))) {
      for (Path dir : dirs) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
          for (Path f : files) {
            String name = f.getFileName().toString();
            BasicFileAttributes a =
                Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isRegularFile()
                && Sha256.isHex(name)
                && dir.getFileName().toString().equals(name.substring(0, 2))) {
              found.add(new Found(name, a.size(), a.lastModifiedTime()));
            } else {
              log.warn("removing a stray file from the artifact cache: {}", f.getFileName());
              Files.deleteIfExists(f);
            }
          }
        } catch (java.nio.file.NotDirectoryException e) {
          Files.deleteIfExists(dir);
        }
      }
    }
    found.sort(Comparator.comparing(Found::used));
    synchronized (this) {
      for (Found f : found) {
        entries.put(f.sha(), new Entry(f.size()));
        stored += f.size();
      }
    }
  }

  /** Where a file with this digest is kept. */
  public Path pathOf(String sha) {
    return root.resolve("sha256").resolve(sha.substring(0, 2)).resolve(sha);
  }

  /** Where a download of this digest is written until it is checked. */
  public Path partialOf(String sha) {
    return root.resolve("partial").resolve(sha + ".part");
  }

  /** The kept file with this digest and size, marked as just used; empty if there is none. */
  public synchronized Optional<Path> lookup(String sha, long size) {
    Entry e = entries.get(sha);
    if (e == null) {
      return Optional.empty();
    }
    Path p = pathOf(sha);
    if (e.size != size || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      if (e.pins == 0) {
        forget(sha, e);
      }
      return Optional.empty();
    }
    try {
      Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException ignored) {
      // the order after a restart is a hint only
    }
    return Optional.of(p);
  }

  /** As {@link #lookup}, and pins the file until {@link #unpin}: it is not evicted meanwhile. */
  public synchronized Optional<Path> pin(String sha, long size) {
    Optional<Path> p = lookup(sha, size);
    p.ifPresent(x -> entries.get(sha).pins++);
    return p;
  }

  /** Ends one pin of {@link #pin}. */
  public synchronized void unpin(String sha) {
    Entry e = entries.get(sha);
    if (e != null && e.pins > 0) {
      e.pins--;
    }
  }

  /**
   * Reserves room for a download of {@code size} bytes, evicting unpinned files, least recently
   * used first, as needed.
   *
   * @throws ArtifactException {@code TOO_LARGE} when the size exceeds the whole budget, {@code
   *     CACHE_FULL} when pinned files and other downloads hold the room
   */
  public synchronized void reserve(long size) {
    if (size > budget) {
      throw new ArtifactException(
          ArtifactException.Reason.TOO_LARGE,
          "a file of " + size + " bytes is larger than the cache's budget of " + budget);
    }
    if (!evictFor(size)) {
      throw new ArtifactException(
          ArtifactException.Reason.CACHE_FULL,
          "no room for "
              + size
              + " bytes in the artifact cache: "
              + stored
              + " kept (some in use) and "
              + reserved
              + " reserved of "
              + budget);
    }
    reserved += size;
  }

  /** Gives back a reservation whose download failed. */
  public synchronized void release(long size) {
    reserved -= size;
  }

  /** Moves a checked download into the cache, turning its reservation into a kept file. */
  public synchronized Path commit(String sha, long size, Path partial) throws IOException {
    Path dest = pathOf(sha);
    Files.createDirectories(dest.getParent());
    try {
      Files.move(
          partial, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(partial, dest, StandardCopyOption.REPLACE_EXISTING);
    }
    reserved -= size;
    Entry old = entries.put(sha, new Entry(size));
    if (old != null) {
      stored -= old.size;
    }
    stored += size;
    return dest;
  }

  /** The bytes kept. */
  public synchronized long storedBytes() {
    return stored;
  }

  /** The digests kept, least recently used first. */
  public synchronized List<String> digests() {
    return List.copyOf(entries.keySet());
  }

  private boolean evictFor(long size) {
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    while (stored + reserved + size > budget && it.hasNext()) {
      Map.Entry<String, Entry> e = it.next();
      if (e.getValue().pins > 0) {
        continue;
      }
      try {
        Files.deleteIfExists(pathOf(e.getKey()));
      } catch (IOException x) {
        log.warn("cannot evict {} from the artifact cache: {}", e.getKey(), x.toString());
        continue;
      }
      stored -= e.getValue().size;
      it.remove();
    }
    return stored + reserved + size <= budget;
  }

  private void forget(String sha, Entry e) {
    entries.remove(sha);
    stored -= e.size;
    try {
      Files.deleteIfExists(pathOf(sha));
    } catch (IOException ignored) {
      // counted out either way
    }
  }

  private static final class Entry {
    final long size;
    int pins;

    Entry(long size) {
      this.size = size;
    }
  }
}
