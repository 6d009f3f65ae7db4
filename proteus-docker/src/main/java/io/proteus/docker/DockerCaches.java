package io.proteus.docker;

import io.proteus.EngineException;
import io.proteus.core.internal.util.Confinement;
import io.proteus.docker.internal.CacheRegistry;
import io.proteus.docker.internal.SafeTrees;
import io.proteus.spi.CacheFolder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache folders for task containers, each a direct child of one root. An exclusive lease (a task
 * that writes the cache) is held by one task at a time and never while readers hold it; a shared
 * lease (read-only) by many at once. After each release a garbage collector deletes the least
 * recently used caches no task holds until the total is under the budget.
 *
 * <p>Names come from plans, so they are hostile: a cache name is 1 to 128 letters, digits, {@code
 * .}, {@code _} or {@code -}, starting with a letter or digit (never {@code .} or {@code ..}), and
 * its folder must lie directly inside the root and not be a link. The collector deletes only
 * folders this class created (it records them in {@code .proteus-caches} in the root, so they stay
 * collectable after a restart); anything else in the root is never deleted. Thread-safe.
 */
public final class DockerCaches {
  private static final Logger log = LoggerFactory.getLogger(DockerCaches.class);
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Path root;
  private final long budgetBytes;
  private final Clock clock;
  private final CacheRegistry registry;
  private final Map<String, Entry> entries = new HashMap<>();

  private static final class Entry {
    final Folder folder;
    int readers;
    boolean writer;
    Instant lastUsed;

    Entry(Folder folder, Instant now) {
      this.folder = folder;
      this.lastUsed = now;
    }
  }

  /** Caches under {@code root}, garbage-collected down to {@code budgetBytes}. */
  public DockerCaches(Path root, long budgetBytes) {
    this(root, budgetBytes, Clock.systemUTC());
  }

  /**
   * As above, with a clock for the least-recently-used order. The root is made private ({@code
   * rwx------}) when this creates it.
   *
   * @throws EngineException when the root cannot be made or read
   */
  public DockerCaches(Path root, long budgetBytes, Clock clock) {
    if (budgetBytes <= 0) {
      throw new IllegalArgumentException("the cache budget must be positive: " + budgetBytes);
    }
    this.budgetBytes = budgetBytes;
    this.clock = clock;
    try {
      if (!Files.isDirectory(root)) {
        Files.createDirectories(
            root,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      this.root = root.toRealPath();
    } catch (IOException | UnsupportedOperationException e) {
      throw new EngineException("cannot create the cache root " + root + ": " + e.getMessage(), e);
    }
    this.registry = new CacheRegistry(this.root, DockerCaches::isSafeName);
  }

  /** Whether {@code name} is a name this class accepts for a cache. */
  public static boolean isSafeName(String name) {
    return name != null && SAFE_NAME.matcher(name).matches();
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
   * @throws EngineException when the name is refused or the cache stays busy for that long
   */
  public Lease acquire(String name, boolean exclusive, Duration wait) {
    Instant deadline = clock.instant().plus(wait);
    synchronized (this) {
      Entry e = entry(name);
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

  private Entry entry(String name) {
    Path dir = makeFolder(name);
    Entry e = entries.get(name);
    if (e == null) {
      e = new Entry(new Folder(name, dir), clock.instant());
      entries.put(name, e);
    }
    return e;
  }

  /** The folder of {@code name}: checked, made when missing, recorded when made here. */
  private Path makeFolder(String name) {
    Path dir = folderPath(name);
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        registry.add(name);
      } else if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new EngineException(
            "cache '" + name + "' is refused: " + dir + " is not a folder (a link or a file)");
      }
    } catch (IOException e) {
      throw new EngineException("cannot create cache folder " + dir + ": " + e.getMessage(), e);
    }
    return dir;
  }

  /**
   * Where the cache {@code name} lives: a direct child of the root.
   *
   * @throws EngineException when the name is not a plain safe name
   */
  private Path folderPath(String name) {
    if (!isSafeName(name)) {
      throw new EngineException(
          "cache name '"
              + printable(name)
              + "' is refused: a cache name is 1 to 128 letters, digits, '.', '_' or '-',"
              + " starting with a letter or digit");
    }
    return Confinement.child(root, name)
        .orElseThrow(() ->
            new EngineException(
                "cache name '"
                    + printable(name)
                    + "' is refused: it leaves the cache root "
                    + root));
  }

  private static String printable(String name) {
    if (name == null) {
      return "null";
    }
    String s = name.length() > 64 ? name.substring(0, 64) + "…" : name;
    return s.replaceAll("\\p{Cntrl}", "?");
  }

  /**
   * A cache folder without a lease, for inspection.
   *
   * @throws EngineException when the name is refused
   */
  public synchronized CacheFolder folderOf(String name) {
    return entry(name).folder;
  }

  /** The bytes all caches take (links are not followed). */
  public synchronized long totalBytes() {
    long total = 0;
    for (Entry e : entries.values()) {
      total += e.folder.size();
    }
    return total;
  }

  /** The names of the caches that exist. */
  public synchronized List<String> names() {
    return entries.keySet().stream().sorted().toList();
  }

  /**
   * Deletes least recently used caches no task holds until the total is within the budget. Only
   * folders this class created are ever deleted; a cache it found already there is dropped from the
   * count but left on disk.
   */
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
      long size = e.getValue().folder.size();
      entries.remove(e.getKey());
      total -= size;
      if (registry.contains(e.getKey())) {
        deleteFolder(e.getKey());
        log.info(
            "cache '{}' ({} bytes) deleted to keep caches under {} bytes",
            e.getKey(),
            size,
            budgetBytes);
      } else {
        log.warn(
            "cache '{}' ({} bytes) is over the budget but was not made by this engine; left on disk",
            e.getKey(),
            size);
      }
    }
  }

  private void deleteFolder(String name) {
    Path dir = folderPath(name);
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      SafeTrees.delete(dir);
    }
    registry.remove(name);
  }

  /** A cache folder whose size never follows links and whose delete stays inside the root. */
  private final class Folder implements CacheFolder {
    private final String name;
    private final Path path;

    Folder(String name, Path path) {
      this.name = name;
      this.path = path;
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
    public long size() {
      return SafeTrees.size(path);
    }

    @Override
    public void archive(OutputStream out) throws IOException {
      new io.proteus.core.process.LocalCacheFolder(name, path).archive(out);
    }

    @Override
    public void delete() {
      synchronized (DockerCaches.this) {
        Entry e = entries.get(name);
        if (e != null && (e.writer || e.readers > 0)) {
          log.warn("cache '{}' is held by a task; not deleted", name);
          return;
        }
        entries.remove(name);
        deleteFolder(name);
      }
    }

    @Override
    public String toString() {
      return "cache '" + name + "' at " + path;
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
