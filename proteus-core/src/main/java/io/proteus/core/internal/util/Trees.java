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
}
