package io.proteus.core.internal.agent;

import io.proteus.spi.OutputSink;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An attempt's log: both output streams, each line tagged {@code out| } or {@code err| }, and the
 * worker's own notes tagged {@code proteus| }, under a size cap. Once the head is full, only the
 * last bytes are kept, in memory, and written at the end after a marker saying how much was
 * dropped, so the end of the output is never lost. A write that fails loses that line, not the
 * attempt, and the log says so at its end. Thread-safe; never throws from the sink methods.
 */
final class AttemptLog implements OutputSink, Closeable {
  private static final Logger log = LoggerFactory.getLogger(AttemptLog.class);

  /** The smallest cap accepted. */
  static final long MIN_BYTES = 4096;

  private static final long MAX_TAIL = 1 << 20;
  private static final int MAX_LINE_CHARS = 1 << 20;
  private static final long FLUSH_NANOS = 200_000_000L;

  private final Path file;
  private final OutputStream out;
  private final long headCap;
  private final byte[] tail;
  private long written;
  private long tailed;
  private long lostLines;
  private long lateLines;
  private @Nullable IOException failure;
  private long lastFlush = System.nanoTime();
  private boolean closed;

  private AttemptLog(Path file, OutputStream out, long maxBytes) {
    this.file = file;
    this.out = out;
    long tailCap = Math.min(MAX_TAIL, maxBytes / 4);
    this.tail = new byte[(int) tailCap];
    this.headCap = maxBytes - tailCap;
  }

  /** A new log at {@code file}, readable by its owner only, holding at most about maxBytes. */
  static AttemptLog create(Path file, long maxBytes) throws IOException {
    if (maxBytes < MIN_BYTES) {
      throw new IllegalArgumentException("a log cap must be at least " + MIN_BYTES + " bytes");
    }
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    return new AttemptLog(
        file,
        Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
        maxBytes);
  }

  Path file() {
    return file;
  }

  @Override
  public void stdout(String line) {
    write("out| ", line);
  }

  @Override
  public void stderr(String line) {
    write("err| ", line);
  }

  /** A line from the worker itself. */
  void note(String line) {
    write("proteus| ", line);
  }

  private synchronized void write(String tag, String line) {
    if (closed) {
      if (lateLines++ == 0) {
        log.warn(
            "output of the attempt logged at {} came after its end; it is not in the log", file);
      }
      return;
    }
    if (line.length() > MAX_LINE_CHARS) {
      int half = MAX_LINE_CHARS / 2;
      line =
          line.substring(0, half)
              + " [proteus: "
              + (line.length() - 2 * half)
              + " characters of this line dropped] "
              + line.substring(line.length() - half);
    }
    byte[] bytes = (tag + line + "\n").getBytes(StandardCharsets.UTF_8);
    if (written + bytes.length <= headCap && tailed == 0) {
      try {
        out.write(bytes);
        written += bytes.length;
        long now = System.nanoTime();
        if (now - lastFlush > FLUSH_NANOS) {
          out.flush();
          lastFlush = now;
        }
      } catch (IOException e) {
        lostLines++;
        if (failure == null) {
          failure = e;
          log.warn("cannot write the attempt log {}: {}", file, e.toString());
        }
      }
      return;
    }
    int from = Math.max(0, bytes.length - tail.length);
    for (int i = from; i < bytes.length; ) {
      int at = (int) (tailed % tail.length);
      int chunk = Math.min(bytes.length - i, tail.length - at);
      System.arraycopy(bytes, i, tail, at, chunk);
      tailed += chunk;
      i += chunk;
    }
    tailed += from;
  }

  /** Writes the tail and the markers, and closes the file. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      if (tailed > 0) {
        byte[] kept = keptTail();
        long dropped = tailed - kept.length;
        raw(
            "proteus| [proteus: "
                + dropped
                + " bytes of output dropped here by the log cap of "
                + (headCap + tail.length)
                + " bytes; the last "
                + kept.length
                + " bytes follow]\n");
        out.write(kept);
      }
      if (lostLines > 0) {
        raw(
            "proteus| [proteus: "
                + lostLines
                + " lines of output could not be written: "
                + failure
                + "]\n");
      }
      out.flush();
    } catch (IOException e) {
      log.warn("cannot finish the attempt log {}: {}", file, e.toString());
    } finally {
      closed = true;
      try {
        out.close();
      } catch (IOException e) {
        log.warn("cannot close the attempt log {}: {}", file, e.toString());
      }
    }
  }

  private void raw(String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
  }

  /** The kept tail, starting at a line boundary when one is there to start at. */
  private byte[] keptTail() {
    int n = (int) Math.min(tailed, tail.length);
    byte[] kept = new byte[n];
    int start = (int) ((tailed - n) % tail.length);
    for (int i = 0; i < n; i++) {
      kept[i] = tail[(start + i) % tail.length];
    }
    if (tailed > tail.length) {
      for (int i = 0; i < n - 1; i++) {
        if (kept[i] == '\n') {
          byte[] fromLine = new byte[n - i - 1];
          System.arraycopy(kept, i + 1, fromLine, 0, fromLine.length);
          return fromLine;
        }
      }
    }
    return kept;
  }
}
