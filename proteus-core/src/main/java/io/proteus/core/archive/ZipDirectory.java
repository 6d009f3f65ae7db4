package io.proteus.core.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A look at a zip's central directory before Commons Compress reads it. Its {@code ZipFile} makes
 * an object for every central directory record before the first entry can be counted, so an archive
 * of millions of tiny records exhausts the memory. This walks the records the same way (the end
 * record found by searching back from the end, a Zip64 locator just before it, then records one
 * after another while their signature holds) reading 46 bytes of each, and refuses too many
 * records, too long names and too big extra fields before anything is kept.
 */
final class ZipDirectory {
  private static final int EOCD_SIG = 0x06054b50;
  private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
  private static final int ZIP64_EOCD_SIG = 0x06064b50;
  private static final int CFH_SIG = 0x02014b50;
  private static final int MIN_EOCD = 22;
  private static final int MAX_COMMENT = 0xffff;
  private static final int ZIP64_LOCATOR_LENGTH = 20;
  private static final int CFH_LENGTH = 46;

  private ZipDirectory() {}

  /**
   * Walks the central directory of {@code zip} and returns how many records it has; refuses more
   * than the limits allow. Returns -1 when no end record is found (the zip reader then says why).
   */
  static long check(Path zip, Budget b) throws IOException {
    try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
      long eocd = findEnd(ch);
      if (eocd < 0) {
        return -1;
      }
      long start = directoryStart(ch, eocd);
      if (start < 0) {
        return -1;
      }
      return walk(ch, start, b);
    }
  }

  private static long findEnd(FileChannel ch) throws IOException {
    long size = ch.size();
    long from = size - MIN_EOCD;
    if (from < 0) {
      return -1;
    }
    long stop = Math.max(0, size - MIN_EOCD - MAX_COMMENT);
    ByteBuffer tail = read(ch, stop, (int) (from - stop + 4));
    for (long off = from; off >= stop; off--) {
      int i = (int) (off - stop);
      if (i + 4 <= tail.limit() && tail.getInt(i) == EOCD_SIG) {
        return off;
      }
    }
    return -1;
  }

  private static long directoryStart(FileChannel ch, long eocd) throws IOException {
    if (eocd > ZIP64_LOCATOR_LENGTH) {
      ByteBuffer loc = read(ch, eocd - ZIP64_LOCATOR_LENGTH, ZIP64_LOCATOR_LENGTH);
      if (loc.limit() == ZIP64_LOCATOR_LENGTH && loc.getInt(0) == ZIP64_LOCATOR_SIG) {
        long record = loc.getLong(8);
        if (record < 0 || record > ch.size()) {
          return -1;
        }
        ByteBuffer z64 = read(ch, record, 56);
        if (z64.limit() < 56 || z64.getInt(0) != ZIP64_EOCD_SIG) {
          return -1;
        }
        return z64.getLong(48);
      }
    }
    ByteBuffer end = read(ch, eocd, MIN_EOCD);
    long length = end.getInt(12) & 0xffffffffL;
    long offset = end.getInt(16) & 0xffffffffL;
    return offset + Math.max(eocd - length - offset, 0);
  }

  private static long walk(FileChannel ch, long start, Budget b) throws IOException {
    long count = 0;
    long pos = start;
    ArchiveLimits limits = b.limits;
    while (pos >= 0) {
      ByteBuffer h = read(ch, pos, CFH_LENGTH);
      if (h.limit() < 4 || h.getInt(0) != CFH_SIG) {
        break;
      }
      if (h.limit() < CFH_LENGTH) {
        break;
      }
      if (++count > limits.maxEntries()) {
        throw b.refuseArchive(
            "its central directory has more than " + limits.maxEntries() + " entries");
      }
      int nameLength = h.getShort(28) & 0xffff;
      int extraLength = h.getShort(30) & 0xffff;
      int commentLength = h.getShort(32) & 0xffff;
      if (nameLength > limits.maxNameBytes()) {
        throw b.refuseArchive(
            "entry #"
                + count
                + ": its name has "
                + nameLength
                + " bytes, over the limit of "
                + limits.maxNameBytes()
                + " bytes");
      }
      if (extraLength + commentLength > limits.maxHeaderBytes()) {
        throw b.refuseArchive(
            "entry #"
                + count
                + ": its extra fields and comment of "
                + (extraLength + commentLength)
                + " bytes are over the limit of "
                + limits.maxHeaderBytes()
                + " bytes");
      }
      pos += CFH_LENGTH + (long) nameLength + extraLength + commentLength;
    }
    return count;
  }

  private static ByteBuffer read(FileChannel ch, long pos, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos + buf.position());
      if (n < 0) {
        break;
      }
    }
    buf.flip();
    return buf;
  }
}
