package io.proteus.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Archives for the unpacking scenario and benchmark: many-file tar.gz files and a zip bomb. */
public final class Archives {
  private Archives() {}

  /**
   * Writes a tar.gz of {@code files} files holding {@code bytes} bytes in all, in folders of 100
   * files. Contents are half seeded-random and half text, so gzip has work to do both ways.
   */
  public static Path tarGz(Path file, long bytes, int files) throws IOException {
    Random random = new Random(42);
    long each = Math.max(1, bytes / Math.max(1, files));
    byte[] buffer = new byte[(int) Math.min(each, 1 << 20)];
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (int i = 0; i < files; i++) {
        TarArchiveEntry entry = new TarArchiveEntry("d" + (i / 100) + "/f" + i + ".bin");
        entry.setSize(each);
        tar.putArchiveEntry(entry);
        long left = each;
        while (left > 0) {
          int n = (int) Math.min(left, buffer.length);
          fill(random, buffer, n);
          tar.write(buffer, 0, n);
          left -= n;
        }
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  /** Writes a zip whose one entry of zeros inflates to {@code bytes} bytes. */
  public static Path zipBomb(Path file, long bytes) throws IOException {
    byte[] zeros = new byte[1 << 20];
    try (ZipOutputStream zip =
        new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
      zip.setLevel(Deflater.BEST_COMPRESSION);
      zip.putNextEntry(new ZipEntry("zeros.bin"));
      long left = bytes;
      while (left > 0) {
        int n = (int) Math.min(left, zeros.length);
        zip.write(zeros, 0, n);
        left -= n;
      }
      zip.closeEntry();
    }
    return file;
  }

  private static void fill(Random random, byte[] buffer, int n) {
    int half = n / 2;
    for (int i = 0; i < half; i++) {
      buffer[i] = (byte) random.nextInt();
    }
    for (int i = half; i < n; i++) {
      buffer[i] = (byte) ('a' + (i % 26));
    }
  }
}
