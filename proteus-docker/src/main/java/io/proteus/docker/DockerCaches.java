package io.proteus.docker;

import io.proteus.EngineException;
import io.proteus.core.process.LocalCacheFolder;
import io.proteus.spi.CacheFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache folders for task containers, as bind-mounted folders under one root. An exclusive lease (a
 * task that writes the cache) is held by one task at a time and never while readers hold it; a
 * shared lease (read-only) by many at once. After each release a garbage collector deletes the
 * least recently used caches no task holds until the total is under the budget. Thread-safe.
 */
public final class DockerCaches {
  private static final Logger log = LoggerFactory.getLogger(DockerCaches.class);

  private final Path root;
  private final long budgetBytes;
  private final Clock clock;
  private final Map<String, Entry> entries = new HashMap<>();

  private static final class Entry {
    final LocalCacheFolder folder;
    int readers;
    boolean writer;
    Instant lastUsed;

    Entry(LocalCacheFolder folder, Instant now) {
      this.folder = folder;
      this.lastUsed = now;
    }
  }

  /** Caches under {@code root}, garbage-collected down to {@code budgetBytes}. */
  public DockerCaches(Path root, long budgetBytes) {
    this(root, budgetBytes, Clock.systemUTC());
  }

  /** As above, with a clock for the least-recently-used order. */
  public DockerCaches(Path root, long budgetBytes, Clock clock) {
    if (budgetBytes <= 0) {
      throw new IllegalArgumentException("the cache budget must be positive: " + budgetBytes);
    }
    this.root = root;
    this.budgetBytes = budgetBytes;
    this.clock = clock;
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the cache root " + root, e);
    }
  }

  /** A held cache; release it when the task ends. */
  public interface Lease extends AutoCloseable {
    /** The cache. */
    CacheFolder folder();

    /** Whether it is held exclusively (writable). */
    boolean exclusive();

    /** Gives the cache back and runs the garbage collector. Idempotent. */
    @Override
    void close();
  }

  /**
   * Takes a lease, waiting up to {@code wait} for conflicting leases to end.
   *
   * @throws EngineException when the cache stays busy for that long
   */
  public Lease acquire(String name, boolean exclusive, Duration wait) {
    Instant deadline = clock.instant().plus(wait);
    synchronized (this) {
      Entry e = entries.computeIfAbsent(name, n -> new Entry(folder(n), clock.instant()));
      while (exclusive ? e.writer || e.readers > 0 : e.writer) {
        long left = Duration.between(clock.instant(), deadline).toMillis();
        if (left <= 0) {
          throw new EngineException(
              "cache '"
                  + name
                  + "' is held by another task"
                  + (exclusive ? "" : " that writes it"));
        }
        try {
          wait(left);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new EngineException("interrupted while waiting for cache '" + name + "'", ex);
        }
      }
      if (exclusive) {
        e.writer = true;
      } else {
        e.readers++;
      }
      e.lastUsed = clock.instant();
      return new Held(name, e, exclusive);
    }
  }

  private LocalCacheFolder folder(String name) {
    Path dir = root.resolve(name);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create cache folder " + dir, e);
    }
    return new LocalCacheFolder(name, dir);
  }

  /** A cache folder without a lease, for inspection. */
  public synchronized CacheFolder folderOf(String name) {
    return entries.computeIfAbsent(name, n -> new Entry(folder(n), clock.instant())).folder;
  }

  /** The bytes all caches take. */
  public synchronized long totalBytes() {
    long total = 0;
    for (Entry e : entries.values()) {
      total += sizeOf(e);
    }
    return total;
  }

  /** The names of the caches that exist. */
  public synchronized List<String> names() {
    return entries.keySet().stream().sorted().toList();
  }

  /** Deletes least recently used caches no task holds until the total is within the budget. */
  public synchronized void collect() {
    long total = totalBytes();
    List<Map.Entry<String, Entry>> idle = new ArrayList<>();
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      if (!e.getValue().writer && e.getValue().readers == 0) {
        idle.add(e);
      }
    }
    idle.sort(Comparator.comparing(e -> e.getValue().lastUsed));
    for (Map.Entry<String, Entry> e : idle) {
      if (total <= budgetBytes) {
        return;
      }
      long size = sizeOf(e.getValue());
      e.getValue().folder.delete();
      entries.remove(e.getKey());
      total -= size;
      log.info(
          "cache '{}' ({} bytes) deleted to keep caches under {} bytes",
          e.getKey(),
          size,
          budgetBytes);
    }
  }

  private static long sizeOf(Entry e) {
    try {
      return e.folder.size();
    } catch (IOException ex) {
      return 0;
    }
  }

  private final class Held implements Lease {
    private final String name;
    private final Entry entry;
    private final boolean exclusive;
    private boolean released;

    Held(String name, Entry entry, boolean exclusive) {
      this.name = name;
      this.entry = entry;
      this.exclusive = exclusive;
    }

    @Override
    public CacheFolder folder() {
      return entry.folder;
    }

    @Override
    public boolean exclusive() {
      return exclusive;
    }

    @Override
    public void close() {
      synchronized (DockerCaches.this) {
        if (released) {
          return;
        }
        released = true;
        if (exclusive) {
          entry.writer = false;
        } else {
          entry.readers--;
        }
        entry.lastUsed = clock.instant();
        DockerCaches.this.notifyAll();
        log.debug("cache '{}' released", name);
      }
      collect();
    }
  }
}
