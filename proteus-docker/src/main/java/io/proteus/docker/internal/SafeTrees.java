package io.proteus.docker.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks of folder trees a container could have written: links are never followed, so nothing
 * outside the tree is ever read, counted or deleted.
 */
public final class SafeTrees {
  private static final Logger log = LoggerFactory.getLogger(SafeTrees.class);

  private SafeTrees() {}

  /** The bytes of the regular files under {@code dir}; 0 when it is missing. */
  public static long size(Path dir) {
    long[] total = {0};
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile()) {
                total[0] += attrs.size();
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      log.debug("cannot size {}: {}", dir, e.getMessage());
    }
    return total[0];
  }

  /**
   * Deletes {@code dir} and everything under it; links are removed, never followed; folders a
   * container made unreadable are opened to the owner first. Logs what it cannot delete.
   */
  public static void delete(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              if (!Files.isReadable(d) || !Files.isExecutable(d) || !Files.isWritable(d)) {
                try {
                  Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
                } catch (IOException | UnsupportedOperationException e) {
                  log.debug("cannot open {}: {}", d, e.getMessage());
                }
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", dir, e.getMessage());
    }
  }
}
