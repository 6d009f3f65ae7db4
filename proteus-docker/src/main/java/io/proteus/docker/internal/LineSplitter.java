package io.proteus.docker.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Turns chunks of a stream into lines, as the engine's output sink wants them, never holding more
 * than {@code maxLineBytes} of a line: the rest of a longer line is dropped and counted, and the
 * line ends with a marker that says how many bytes were dropped. A sink that throws is logged once
 * and reading goes on. Thread-safe.
 */
public final class LineSplitter {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LineSplitter.class);

  /** The line cap engines use unless told otherwise: 64 KiB. */
  public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

  private final Consumer<String> sink;
  private final int max;
  private byte[] pending = new byte[256];
  private int size;
  private long dropped;
  private boolean droppedCr;
  private boolean sinkFailed;

  /** A splitter that cuts lines longer than {@code maxLineBytes}. */
  public LineSplitter(Consumer<String> sink, int maxLineBytes) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("the line cap must be positive: " + maxLineBytes);
    }
    this.sink = sink;
    this.max = maxLineBytes;
  }

  /** Takes a chunk; emits every complete line in it. */
  public synchronized void accept(byte[] chunk) {
    int start = 0;
    for (int i = 0; i < chunk.length; i++) {
      if (chunk[i] == '\n') {
        append(chunk, start, i - start);
        emit();
        start = i + 1;
      }
    }
    append(chunk, start, chunk.length - start);
  }

  /** Emits a last line that had no line end. */
  public synchronized void finish() {
    if (size > 0 || dropped > 0) {
      emit();
    }
  }

  /** How many bytes of the current line are held: never more than the cap. */
  public synchronized int buffered() {
    return size;
  }

  private void append(byte[] b, int from, int length) {
    if (length <= 0) {
      return;
    }
    int room = max - size;
    int take = Math.min(room, length);
    if (take > 0) {
      if (size + take > pending.length) {
        pending = Arrays.copyOf(pending, Math.min(max, Math.max(size + take, pending.length * 2)));
      }
      System.arraycopy(b, from, pending, size, take);
      size += take;
    }
    if (length > take) {
      dropped += length - take;
      droppedCr = b[from + length - 1] == '\r';
    }
  }

  private void emit() {
    String line;
    if (dropped > 0) {
      int end = utf8Boundary(pending, size);
      long lost = dropped - (droppedCr ? 1 : 0) + (size - end);
      line =
          new String(pending, 0, end, StandardCharsets.UTF_8)
              + " [proteus: line cut at "
              + max
              + " bytes, "
              + lost
              + " more bytes dropped]";
    } else {
      int n = size > 0 && pending[size - 1] == '\r' ? size - 1 : size;
      line = new String(pending, 0, n, StandardCharsets.UTF_8);
    }
    size = 0;
    dropped = 0;
    droppedCr = false;
    if (pending.length > 4096) {
      pending = new byte[256];
    }
    try {
      sink.accept(line);
    } catch (RuntimeException e) {
      if (!sinkFailed) {
        sinkFailed = true;
        log.warn("the output sink failed on a line; reading goes on", e);
      }
    }
  }

  /** The end of the last whole UTF-8 character at or before {@code n}. */
  private static int utf8Boundary(byte[] b, int n) {
    int i = n - 1;
    int back = 0;
    while (i >= 0 && back < 4 && (b[i] & 0xC0) == 0x80) {
      i--;
      back++;
    }
    if (i < 0) {
      return n;
    }
    int lead = b[i] & 0xFF;
    int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return n - i >= need ? n : i;
  }
}
