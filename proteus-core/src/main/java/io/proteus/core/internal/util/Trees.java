package io.proteus.core.internal.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deleting folder trees without following links. */
public final class Trees {
  private static final Logger log = LoggerFactory.getLogger(Trees.class);

  private Trees() {}

  /**
   * Deletes {@code dir} and everything under it; links are removed, never followed. Logs failures.
   */
  public static void deleteQuietly(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", dir, e.getMessage());
    }
  }

  /** The bytes of the regular files under {@code dir}, links not followed; 0 when unreadable. */
  public static long sizeOf(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      long total = 0;
      for (Path p : walk.toList()) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          total += Files.size(p);
        }
      }
      return total;
    } catch (IOException | java.io.UncheckedIOException e) {
      log.warn("cannot measure {}: {}", dir, e.getMessage());
      return 0;
    }
  }
}
