package io.proteus.docker.internal;

import io.proteus.EngineException;
import io.proteus.core.archive.ArchiveLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The tar a build is sent: the Dockerfile's folder, regular files and folders only (links and
 * special files are left out, never followed), within the archive limits, plus the Dockerfile
 * exactly as it was checked, under {@link #DOCKERFILE}.
 */
final class BuildContext {
  /** The name the checked Dockerfile has in the context. */
  static final String DOCKERFILE = ".proteus.Dockerfile";

  private BuildContext() {}

  /** Writes the context of {@code folder} to a new temporary file. */
  static Path write(Path folder, byte[] dockerfile, ArchiveLimits limits) {
    Path tar;
    try {
      tar = Files.createTempFile("proteus-build-context", ".tar");
    } catch (IOException e) {
      throw new EngineException("cannot make a temporary file: " + e.getMessage(), e);
    }
    try (OutputStream out = Files.newOutputStream(tar);
        TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      long[] budget = {0, 0};
      Files.walkFileTree(
          folder,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              if (!dir.equals(folder)) {
                count(budget, 0, limits, dir);
                TarArchiveEntry e = new TarArchiveEntry(name(folder, dir) + "/");
                e.setMode(040000 | (mode(dir) & 0755));
                t.putArchiveEntry(e);
                t.closeArchiveEntry();
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              if (!attrs.isRegularFile()) {
                return FileVisitResult.CONTINUE;
              }
              long size = attrs.size();
              count(budget, size, limits, file);
              TarArchiveEntry e = new TarArchiveEntry(name(folder, file));
              e.setMode(0100000 | (mode(file) & 0755));
              e.setSize(size);
              t.putArchiveEntry(e);
              try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                copyExactly(in, t, size);
              }
              t.closeArchiveEntry();
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
      TarArchiveEntry e = new TarArchiveEntry(DOCKERFILE);
      e.setMode(0100644);
      e.setSize(dockerfile.length);
      t.putArchiveEntry(e);
      t.write(dockerfile);
      t.closeArchiveEntry();
      t.finish();
      return tar;
    } catch (EngineException e) {
      delete(tar);
      throw e;
    } catch (IOException | RuntimeException e) {
      delete(tar);
      throw new EngineException(
          "cannot pack the build context " + folder + ": " + Errors.describe(e), e);
    }
  }

  static void delete(Path tar) {
    try {
      Files.deleteIfExists(tar);
    } catch (IOException ignored) {
      // a temporary file
    }
  }

  private static void count(long[] budget, long size, ArchiveLimits limits, Path at) {
    budget[0]++;
    budget[1] += size;
    if (budget[0] > limits.maxEntries() || budget[1] > limits.maxTotalBytes()) {
      throw new EngineException(
          "the build context is larger than the limits ("
              + limits.maxTotalBytes()
              + " bytes in at most "
              + limits.maxEntries()
              + " entries), at "
              + at);
    }
  }

  private static String name(Path folder, Path p) {
    return folder.relativize(p).toString().replace('\\', '/');
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
  }

  /** Copies exactly {@code size} bytes: a file that shrank is padded, one that grew is cut. */
  private static void copyExactly(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        break;
      }
      out.write(buf, 0, n);
      left -= n;
    }
    java.util.Arrays.fill(buf, (byte) 0);
    while (left > 0) {
      int n = (int) Math.min(buf.length, left);
      out.write(buf, 0, n);
      left -= n;
    }
  }
}
