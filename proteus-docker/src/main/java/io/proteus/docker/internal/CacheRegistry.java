package io.proteus.docker.internal;

import io.proteus.EngineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The names of the cache folders the engine made under a cache root, kept in {@code
 * .proteus-caches} there (written atomically), so that only those are ever garbage-collected, even
 * after a restart. Not thread-safe; the caller locks.
 */
public final class CacheRegistry {
  private static final String FILE = ".proteus-caches";
  private static final long MAX_BYTES = 1 << 20;

  private final Path file;
  private final Set<String> names = new TreeSet<>();

  /** The registry of {@code root}; names that {@code valid} refuses are ignored. */
  public CacheRegistry(Path root, Predicate<String> valid) {
    this.file = root.resolve(FILE);
    try {
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        if (Files.size(file) > MAX_BYTES) {
          throw new EngineException(file + " is larger than " + MAX_BYTES + " bytes");
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          String name = line.strip();
          if (valid.test(name)) {
            names.add(name);
          }
        }
      }
    } catch (IOException e) {
      throw new EngineException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether the engine made the cache {@code name}. */
  public boolean contains(String name) {
    return names.contains(name);
  }

  /** Records that the engine made {@code name}. */
  public void add(String name) {
    if (names.add(name)) {
      write();
    }
  }

  /** Forgets {@code name}, once its folder is deleted. */
  public void remove(String name) {
    if (names.remove(name)) {
      write();
    }
  }

  private void write() {
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      Files.writeString(tmp, String.join("\n", names) + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new EngineException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
