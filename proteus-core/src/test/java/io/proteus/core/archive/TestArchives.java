package io.proteus.core.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Archives for tests: well-formed ones, and hand-made hostile ones streamed without buffering. */
final class TestArchives {
  private TestArchives() {}

  sealed interface E {}

  record F(String name, String content) implements E {}

  record Dir(String name) implements E {}

  record Sym(String name, String linkTo) implements E {}

  record Hard(String name, String linkTo) implements E {}

  /** A tar entry of any type, for special files. */
  record Typed(String name, byte type) implements E {}

  static Path tarGz(Path dir, E... entries) throws IOException {
    Path file = Files.createTempFile(dir, "a", ".tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      writeTar(out, entries);
    }
    return file;
  }

  static Path tar(Path dir, E... entries) throws IOException {
    Path file = Files.createTempFile(dir, "a", ".tar");
    try (OutputStream out = Files.newOutputStream(file)) {
      writeTar(out, entries);
    }
    return file;
  }

  static void writeTar(OutputStream raw, E... entries) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(raw);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    for (E e : entries) {
      switch (e) {
        case F f -> {
          byte[] b = f.content().getBytes(StandardCharsets.UTF_8);
          TarArchiveEntry t = new TarArchiveEntry(f.name(), true);
          t.setSize(b.length);
          tar.putArchiveEntry(t);
          tar.write(b);
          tar.closeArchiveEntry();
        }
        case Dir d -> {
          tar.putArchiveEntry(new TarArchiveEntry(d.name(), TarConstants.LF_DIR, true));
          tar.closeArchiveEntry();
        }
        case Sym s -> {
          TarArchiveEntry t = new TarArchiveEntry(s.name(), TarConstants.LF_SYMLINK, true);
          t.setLinkName(s.linkTo());
          tar.putArchiveEntry(t);
          tar.closeArchiveEntry();
        }
        case Hard h -> {
          TarArchiveEntry t = new TarArchiveEntry(h.name(), TarConstants.LF_LINK, true);
          t.setLinkName(h.linkTo());
          tar.putArchiveEntry(t);
          tar.closeArchiveEntry();
        }
        case Typed t -> {
          tar.putArchiveEntry(new TarArchiveEntry(t.name(), t.type(), true));
          tar.closeArchiveEntry();
        }
      }
    }
    tar.finish();
    tar.flush();
  }

  static Path zip(Path dir, E... entries) throws IOException {
    Path file = Files.createTempFile(dir, "z", ".zip");
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
      for (E e : entries) {
        switch (e) {
          case F f -> {
            zip.putArchiveEntry(new ZipArchiveEntry(f.name()));
            zip.write(f.content().getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
          }
          case Dir d -> {
            zip.putArchiveEntry(
                new ZipArchiveEntry(d.name().endsWith("/") ? d.name() : d.name() + "/"));
            zip.closeArchiveEntry();
          }
          case Sym s -> {
            ZipArchiveEntry z = new ZipArchiveEntry(s.name());
            z.setUnixMode(UnixStat.LINK_FLAG | 0777);
            zip.putArchiveEntry(z);
            zip.write(s.linkTo().getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
          }
          case Hard h -> throw new IllegalArgumentException("zip has no hard links");
          case Typed t -> throw new IllegalArgumentException("zip has no special files");
        }
      }
    }
    return file;
  }

  /** A 512-byte tar header for an entry of {@code type} and {@code size}. */
  static byte[] header(String name, byte type, long size) {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setSize(size);
    byte[] buf = new byte[512];
    e.writeEntryHeader(buf);
    return buf;
  }

  /** A tar made record by record, for headers no well-behaved writer makes. */
  static final class RawTar {
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

    /** Adds an entry of {@code type} with {@code data}, padded to a whole record. */
    RawTar add(String name, byte type, byte[] data) {
      out.writeBytes(header(name, type, data.length));
      out.writeBytes(data);
      out.writeBytes(padding(data.length));
      return this;
    }

    /** Adds a PAX header ({@code 'x'} or {@code 'g'}) made of these records. */
    RawTar pax(byte type, byte[]... records) {
      java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
      for (byte[] r : records) {
        data.writeBytes(r);
      }
      return add("PaxHeader", type, data.toByteArray());
    }

    /** Adds a regular file. */
    RawTar file(String name, String content) {
      return add(name, TarConstants.LF_NORMAL, content.getBytes(StandardCharsets.UTF_8));
    }

    /** The tar, ended and padded to a block. */
    byte[] bytes() {
      byte[] body = out.toByteArray();
      byte[] end = end(body.length);
      byte[] all = Arrays.copyOf(body, body.length + end.length);
      return all;
    }

    /** Writes the tar to {@code file}. */
    Path write(Path file) throws IOException {
      return Files.write(file, bytes());
    }
  }

  /** A PAX record {@code "len key=value\n"} with this exact value. */
  static byte[] paxRecord(String key, String value) {
    int rest = 1 + key.length() + 1 + value.getBytes(StandardCharsets.UTF_8).length + 1;
    int length = rest + 1;
    while (String.valueOf(length).length() + rest != length) {
      length++;
    }
    return (length + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Zeros that pad {@code size} bytes of data to a whole record. */
  static byte[] padding(long size) {
    return new byte[(int) ((512 - size % 512) % 512)];
  }

  /** One PAX record {@code "len key=value\n"} of exactly {@code length} bytes. */
  static byte[] paxRecord(String key, int length) {
    for (int digits = 1; digits < 10; digits++) {
      int valueLength = length - digits - 1 - key.length() - 1 - 1;
      if (valueLength >= 0 && String.valueOf(length).length() == digits) {
        String value = "v".repeat(valueLength);
        byte[] r = (length + " " + key + "=" + value + "\n").getBytes(StandardCharsets.US_ASCII);
        if (r.length != length) {
          throw new IllegalStateException("bad PAX record length " + r.length);
        }
        return r;
      }
    }
    throw new IllegalArgumentException("no PAX record of " + length + " bytes");
  }

  /** The end of a tar: two zero records, padded to a 10240-byte block from {@code written}. */
  static byte[] end(long written) {
    long total = written + 1024;
    long pad = (10240 - total % 10240) % 10240;
    return new byte[(int) (1024 + pad)];
  }

  /**
   * A stream that serves {@code head}, then {@code fill} bytes of 'a', then {@code tail}, making
   * the fill on the fly and counting what it served.
   */
  static final class Generated extends InputStream {
    private final byte[] head;
    private final long fill;
    private final byte[] tail;
    final AtomicLong served = new AtomicLong();
    private long pos;

    Generated(byte[] head, long fill, byte[] tail) {
      this.head = head;
      this.fill = fill;
      this.tail = tail;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      long total = head.length + fill + tail.length;
      if (pos >= total) {
        return -1;
      }
      int n = (int) Math.min(len, total - pos);
      for (int i = 0; i < n; i++) {
        long p = pos + i;
        b[off + i] =
            p < head.length
                ? head[(int) p]
                : p < head.length + fill ? (byte) 'a' : tail[(int) (p - head.length - fill)];
      }
      pos += n;
      served.addAndGet(n);
      return n;
    }
  }

  /** Writes a .tar.gz whose first entry has a GNU long name of {@code bytes}, streamed. */
  static Path longNameTarGz(Path file, long bytes) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
      out.write(header("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME, bytes));
      byte[] a = new byte[1 << 20];
      Arrays.fill(a, (byte) 'a');
      for (long left = bytes; left > 0; left -= a.length) {
        out.write(a, 0, (int) Math.min(a.length, left));
      }
      out.write(padding(bytes));
      out.write(header("ignored", TarConstants.LF_NORMAL, 0));
      out.write(end(0));
    }
    return file;
  }

  /** The offsets of every central directory record in a zip. */
  static List<Integer> centralRecords(byte[] zip) {
    List<Integer> at = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i + 46 <= zip.length; i++) {
      if (b.getInt(i) == 0x02014b50) {
        at.add(i);
      }
    }
    return at;
  }

  /** Rewrites a 32-bit little-endian field of every central directory record. */
  static void patchCentral(Path zip, int fieldOffset, long value) throws IOException {
    byte[] bytes = Files.readAllBytes(zip);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int at : centralRecords(bytes)) {
      b.putInt(at + fieldOffset, (int) value);
    }
    Files.write(zip, bytes);
  }

  /** Rewrites the compression method of every local and central header. */
  static void patchMethod(Path zip, int method) throws IOException {
    byte[] bytes = Files.readAllBytes(zip);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int at : centralRecords(bytes)) {
      b.putShort(at + 10, (short) method);
      int local = b.getInt(at + 42);
      b.putShort(local + 8, (short) method);
    }
    Files.write(zip, bytes);
  }
}
