package io.proteus.docker.internal;

import io.proteus.EngineException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use a folder a container mounts. Folders stay private and are never opened to everyone: a
 * task that runs as another user is given the folder by ownership (which needs the engine to run as
 * root). After the task, set-user-id and set-group-id bits a container planted are stripped, so
 * nothing it left can raise privileges on the host. Links are never followed.
 */
public final class FolderAccess {
  private static final Logger log = LoggerFactory.getLogger(FolderAccess.class);
  private static final int SETID = 06000;

  private FolderAccess() {}

  /** The uid the engine runs as. */
  public static int engineUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | RuntimeException e) {
      throw new EngineException("cannot tell which user the engine runs as: " + e.getMessage(), e);
    }
  }

  /** Makes {@code dir} private to its owner ({@code rwx------}). */
  public static void makePrivate(Path dir) {
    try {
      Files.setAttribute(dir, "unix:mode", (mode(dir) & ~07777) | 0700, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | RuntimeException e) {
      throw new EngineException("cannot make " + dir + " private: " + Errors.describe(e), e);
    }
  }

  /** The owner of {@code dir} as {@code uid, gid}. */
  public static int[] ownerOf(Path dir) {
    try {
      return new int[] {
        (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS),
        (Integer) Files.getAttribute(dir, "unix:gid", LinkOption.NOFOLLOW_LINKS)
      };
    } catch (IOException | RuntimeException e) {
      throw new EngineException("cannot read the owner of " + dir + ": " + Errors.describe(e), e);
    }
  }

  /**
   * Gives everything under {@code dir} to {@code uid} (and {@code gid} when not negative).
   *
   * @throws EngineException when the engine may not (it is not root)
   */
  public static void giveTo(Path dir, int uid, int gid) {
    walk(
        dir,
        (p, attrs) -> {
          try {
            if ((Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) != uid) {
              Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            }
            if (gid >= 0
                && (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS) != gid) {
              Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            }
          } catch (FileSystemException e) {
            throw new EngineException(
                "cannot give "
                    + dir
                    + " to uid "
                    + uid
                    + " (the engine must run as root to run tasks as another user): "
                    + e.getMessage(),
                e);
          }
        });
  }

  /** Strips set-user-id and set-group-id bits from every file under {@code dir}. */
  public static void stripSetId(Path dir) {
    walk(
        dir,
        (p, attrs) -> {
          if (attrs.isSymbolicLink()) {
            return;
          }
          int mode = mode(p);
          if ((mode & SETID) != 0) {
            Files.setAttribute(p, "unix:mode", mode & ~SETID & 07777, LinkOption.NOFOLLOW_LINKS);
            log.info("stripped set-id bits a task left on {}", p);
          }
        });
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
  }

  private interface Visit {
    void on(Path p, BasicFileAttributes attrs) throws IOException;
  }

  private static void walk(Path dir, Visit visit) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
                throws IOException {
              visit.on(d, attrs);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              visit.on(file, attrs);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              log.debug("cannot visit {}: {}", file, e.getMessage());
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new EngineException("cannot walk " + dir + ": " + e.getMessage(), e);
    }
  }
}
