package io.proteus.core.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A tar reader that bounds what it buffers before it buffers it. Commons Compress reads a GNU long
 * name, a long link target, a PAX extended header or a sparse map whole into memory while it looks
 * for the next entry, whatever size the archive claims. Here each such header's size is checked
 * against the limits before its first byte is read, and every byte read while looking for the next
 * entry (record padding, header records, long names, PAX headers, sparse maps, the end-of-archive
 * blocks) is counted against {@link ArchiveLimits#maxHeaderBytes()} plus room for tar's framing.
 */
final class TarInput extends TarArchiveInputStream {
  /** Room for tar's own framing around the headers: padding and the end-of-archive blocks. */
  static final int FRAMING_BYTES = 16 * 1024;

  private final Meter meter;
  private final Budget budget;
  private final ArchiveLimits limits;
  private final byte[] drain = new byte[8192];
  private int depth;
  private long globalHeaderBytes;
  private TarArchiveEntry checked;

  private TarInput(Meter meter, Budget budget) {
    super(meter, StandardCharsets.UTF_8.name());
    this.meter = meter;
    this.budget = budget;
    this.limits = budget.limits;
  }

  /** A reader of the tar stream {@code in}, refusing through {@code budget}. */
  static TarInput of(InputStream in, Budget budget) {
    return new TarInput(new Meter(in, budget), budget);
  }

  /** Bytes read from the underlying stream so far. */
  long bytesRead() {
    return meter.read;
  }

  @Override
  public TarArchiveEntry getNextEntry() throws IOException {
    if (depth > 0) {
      return super.getNextEntry();
    }
    skipRestOfEntry();
    meter.limit(limits.maxHeaderBytes() + (long) FRAMING_BYTES);
    depth++;
    try {
      TarArchiveEntry entry = super.getNextEntry();
      if (entry != null) {
        checkHeaders(entry);
      }
      return entry;
    } finally {
      depth--;
      meter.unlimited();
    }
  }

  @Override
  @SuppressWarnings("ReferenceEquality") // each header entry is checked once, by identity
  public int read(byte[] buf, int offset, int length) throws IOException {
    TarArchiveEntry current = getCurrentEntry();
    if (depth > 0 && current != null && current != checked) {
      checked = current;
      checkBeforeReading(current);
    }
    return super.read(buf, offset, length);
  }

  private void skipRestOfEntry() throws IOException {
    if (getCurrentEntry() == null) {
      return;
    }
    while (read(drain, 0, drain.length) > 0) {
      // the rest of an entry's data is not header data
    }
  }

  private void checkBeforeReading(TarArchiveEntry header) {
    long size = header.getSize();
    if (header.isGNULongNameEntry() || header.isGNULongLinkEntry()) {
      if (size > limits.maxNameBytes() + 1L) {
        throw budget.refuseHeader(
            (header.isGNULongNameEntry() ? "a GNU long name" : "a GNU long link target")
                + " record of "
                + size
                + " bytes is over the limit of "
                + limits.maxNameBytes()
                + " bytes");
      }
    } else if (header.isPaxHeader()) {
      if (size > limits.maxHeaderBytes()) {
        throw budget.refuseHeader(
            "a PAX extended header of "
                + size
                + " bytes is over the limit of "
                + limits.maxHeaderBytes()
                + " bytes");
      }
    } else if (header.isGlobalPaxHeader()) {
      globalHeaderBytes += size;
      if (globalHeaderBytes > limits.maxHeaderBytes()) {
        throw budget.refuseHeader(
            "global PAX headers of "
                + globalHeaderBytes
                + " bytes in all are over the limit of "
                + limits.maxHeaderBytes()
                + " bytes");
      }
    }
  }

  private void checkHeaders(TarArchiveEntry entry) {
    long extra = 0;
    for (Map.Entry<String, String> h : entry.getExtraPaxHeaders().entrySet()) {
      extra +=
          h.getKey().getBytes(StandardCharsets.UTF_8).length
              + (long) h.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (extra > limits.maxHeaderBytes()) {
      throw budget.refuseHeader(
          "its PAX headers of "
              + extra
              + " bytes are over the limit of "
              + limits.maxHeaderBytes()
              + " bytes");
    }
    List<org.apache.commons.compress.archivers.tar.TarArchiveStructSparse> sparse =
        entry.getSparseHeaders();
    boolean mapped =
        sparse != null && sparse.stream().anyMatch(h -> h.getOffset() != 0 || h.getNumbytes() != 0);
    if (entry.isSparse() || mapped) {
      throw budget.refuseHeader(
          "'" + Budget.shown(entry.getName()) + "' is a sparse file, which is not supported");
    }
  }

  /** Counts the bytes read below the tar reader and stops at a limit while one is set. */
  private static final class Meter extends FilterInputStream {
    private final Budget budget;
    private final byte[] one = new byte[1];
    private long limit = -1;
    private long used;
    long read;

    Meter(InputStream in, Budget budget) {
      super(in);
      this.budget = budget;
    }

    void limit(long bytes) {
      limit = bytes;
      used = 0;
    }

    void unlimited() {
      limit = -1;
    }

    @Override
    public int read() throws IOException {
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int want = len;
      if (limit >= 0) {
        want = (int) Math.min(len, limit - used + 1);
      }
      int n = in.read(b, off, want);
      if (n > 0) {
        read += n;
        if (limit >= 0) {
          used += n;
          if (used > limit) {
            throw budget.refuseHeader(
                "its headers (long names, PAX headers, sparse maps) are over the limit of "
                    + budget.limits.maxHeaderBytes()
                    + " bytes (and "
                    + FRAMING_BYTES
                    + " for tar's framing)");
          }
        }
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] scratch = new byte[(int) Math.min(Math.max(n, 1), 8192)];
      long skipped = 0;
      while (skipped < n) {
        int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
