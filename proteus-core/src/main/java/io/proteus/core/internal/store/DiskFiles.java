package io.proteus.core.internal.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * How the store touches the disk. A file is written whole to a temporary file beside it ({@code
 * .NAME.tmp}), forced, and renamed over the old one, so a reader sees the old file or the new one,
 * never a part. The caller forces the folder (here {@link #forceFolder}) before it counts the
 * rename as durable. Reads are bounded.
 */
public final class DiskFiles {
  /** The suffix of temporary files; a file named {@code .…tmp} left in the store is a crash's. */
  public static final String TEMP_SUFFIX = ".tmp";

  private DiskFiles() {}

  /** The temporary file a write of {@code target} goes through. */
  public static Path tempFor(Path target) {
    return target.resolveSibling("." + target.getFileName() + TEMP_SUFFIX);
  }

  /** Whether this file name is one of the store's temporary files. */
  public static boolean isTemp(String fileName) {
    return fileName.startsWith(".") && fileName.endsWith(TEMP_SUFFIX);
  }

  /**
   * Replaces {@code target} with {@code bytes}: temporary file, write, force, atomic rename. The
   * folder is not forced. On failure the temporary file is removed and {@code target} is as it was.
   */
  public static void replace(Path target, byte[] bytes) throws IOException {
    Path tmp = tempFor(target);
    try {
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Appends one line to {@code file}, creating it, and forces it. If the file does not end with a
   * line break (a crash cut its last line), one is written first, so every line the store wrote
   * stands on its own.
   */
  public static void appendLine(Path file, byte[] line) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      ByteBuffer out = ByteBuffer.allocate(line.length + 2);
      if (size > 0) {
        ByteBuffer last = ByteBuffer.allocate(1);
        ch.read(last, size - 1);
        if (last.get(0) != '\n') {
          out.put((byte) '\n');
        }
      }
      out.put(line).put((byte) '\n').flip();
      long at = size;
      while (out.hasRemaining()) {
        at += ch.write(out, at);
      }
      ch.force(false);
    }
  }

  /**
   * Forces a folder so that the renames and deletions in it are durable. File systems that cannot
   * open a folder as a channel (Windows) keep their renames without it.
   */
  public static void forceFolder(Path folder) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(folder, StandardOpenOption.READ);
    } catch (IOException | UnsupportedOperationException e) {
      if (System.getProperty("os.name", "").startsWith("Windows")) {
        return;
      }
      throw e instanceof IOException io ? io : new IOException(e);
    }
    try (ch) {
      ch.force(true);
    }
  }

  /**
   * Reads a whole file of at most {@code cap} bytes.
   *
   * @throws TooLargeException when the file is larger
   */
  public static byte[] read(Path file, long cap) throws IOException {
    long size = Files.size(file);
    if (size > cap) {
      throw new TooLargeException(size, cap);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) Math.min(cap, Integer.MAX_VALUE - 8) + 1);
      if (bytes.length > cap) {
        throw new TooLargeException(bytes.length, cap);
      }
      return bytes;
    }
  }

  /** Removes a file if present; true when it was there. */
  public static boolean delete(Path file) throws IOException {
    try {
      return Files.deleteIfExists(file);
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** A file over the read cap. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(long size, long cap) {
      super("larger than the cap of " + cap + " bytes (" + size + "+ bytes)");
    }
  }
}
