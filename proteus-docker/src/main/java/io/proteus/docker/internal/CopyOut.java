package io.proteus.docker.internal;

import io.proteus.EngineException;
import io.proteus.ProteusException;
import io.proteus.core.archive.ArchiveExtractor;
import io.proteus.core.archive.ArchiveLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Copies a file or folder out of a container: the daemon's tar is saved to a temporary file beside
 * the target, never past a cap derived from the limits, then unpacked with the same protections and
 * limits as build archives. On any refusal nothing is left behind: no target, no temporary file.
 */
public final class CopyOut {
  /** Bytes a tar may add per entry for headers and padding, on top of the entries' contents. */
  static final long PER_ENTRY_OVERHEAD = 8 * 1024;

  /** How long one copy may take before it is cut. */
  static final long COPY_TIMEOUT_MINUTES = 10;

  private CopyOut() {}

  /** The most bytes of tar a copy under {@code limits} may take. */
  public static long tarCap(ArchiveLimits limits) {
    long overhead = (long) limits.maxEntries() * PER_ENTRY_OVERHEAD + 64 * 1024;
    long cap = limits.maxTotalBytes() + overhead;
    return cap < 0 ? Long.MAX_VALUE : cap;
  }

  /**
   * Copies {@code containerPath} of container {@code id} into {@code target}, which must not exist.
   *
   * @throws EngineException when the copy fails or passes the limits; nothing is then left behind
   */
  public static void copy(
      Daemon daemon, String id, String containerPath, Path target, ArchiveLimits limits) {
    String what = "cannot copy " + containerPath + " out of container " + id;
    Path parent = target.toAbsolutePath().getParent();
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new EngineException(what + ": " + target + " already exists");
    }
    if (parent == null || !Files.isDirectory(parent)) {
      throw new EngineException(what + ": " + target + " has no folder to go in");
    }
    Path tar = null;
    try {
      tar = Files.createTempFile(parent, ".proteus-copy-", ".tar");
      long cap = tarCap(limits);
      AtomicBoolean cut = new AtomicBoolean();
      InputStream raw = daemon.streams().copyArchiveFromContainerCmd(id, containerPath).exec();
      try (InputStream in = raw;
          OutputStream out = Files.newOutputStream(tar, StandardOpenOption.TRUNCATE_EXISTING)) {
        Thread watchdog =
            Thread.ofVirtual()
                .start(() -> {
                  try {
                    Thread.sleep(TimeUnit.MINUTES.toMillis(COPY_TIMEOUT_MINUTES));
                    cut.set(true);
                    raw.close();
                  } catch (InterruptedException | IOException e) {
                    // the copy ended first
                  }
                });
        try {
          copyAtMost(in, out, cap, what, limits);
        } finally {
          watchdog.interrupt();
        }
      } catch (IOException e) {
        if (cut.get()) {
          throw new EngineException(
              what + ": it took more than " + COPY_TIMEOUT_MINUTES + " minutes", e);
        }
        throw e;
      }
      new ArchiveExtractor(limits).extract(tar, target);
    } catch (EngineException e) {
      throw e;
    } catch (ProteusException e) {
      throw new EngineException(what + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new EngineException(what + ": " + Errors.describe(e), e);
    } finally {
      if (tar != null) {
        try {
          Files.deleteIfExists(tar);
        } catch (IOException ignored) {
          // a temporary file in the target's folder; nothing more can be done
        }
      }
    }
  }

  private static void copyAtMost(
      InputStream in, OutputStream out, long cap, String what, ArchiveLimits limits)
      throws IOException {
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > cap) {
        throw new EngineException(
            what
                + ": the copy is more than "
                + cap
                + " bytes, past the limits ("
                + limits.maxTotalBytes()
                + " bytes in at most "
                + limits.maxEntries()
                + " entries); refused");
      }
      out.write(buf, 0, n);
    }
  }
}
