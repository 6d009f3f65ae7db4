package io.proteus.core.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one output stream of a command and hands it on line by line ({@code \n}, {@code \r} or
 * {@code \r\n} end a line). Never buffers more than the line cap: a longer line keeps its first and
 * last halves with a marker between. A sink that throws loses lines, not the stream: the pump keeps
 * reading, so the command never blocks on a full pipe, and says at the end what was lost.
 */
final class LinePump implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LinePump.class);

  /** The line buffer a pump starts with; it grows up to the cap only for lines that need it. */
  private static final int FIRST_HEAD = 1024;

  private final InputStream in;
  private final Consumer<String> sink;
  private final String stream;
  private final Object lock = new Object();
  private final CountDownLatch done = new CountDownLatch(1);
  private final int headCap;
  private final int tailCap;
  private byte[] head;
  private byte[] tail = new byte[0];
  private int headLength;
  private long tailLength;
  private boolean pendingCr;
  private boolean stopped;
  private long lines;
  private long lostLines;
  private @Nullable Throwable sinkFailure;
  private @Nullable Throwable readFailure;
  private long discardedBytes;

  LinePump(InputStream in, Consumer<String> sink, String stream, int maxLineBytes) {
    this.in = in;
    this.sink = sink;
    this.stream = stream;
    this.headCap = maxLineBytes / 2;
    this.tailCap = maxLineBytes - maxLineBytes / 2;
    this.head = new byte[Math.min(FIRST_HEAD, headCap)];
  }

  @Override
  public void run() {
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        synchronized (lock) {
          if (stopped) {
            return;
          }
          if (readFailure != null) {
            discardedBytes += n;
            continue;
          }
          try {
            consume(buf, n);
          } catch (RuntimeException | VirtualMachineError e) {
            readFailure = e;
            discardedBytes += n;
            log.warn("the {} pump failed; the rest of the stream is discarded", stream, e);
          }
        }
      }
      finish("");
    } catch (IOException e) {
      finish("");
    } catch (RuntimeException | Error e) {
      synchronized (lock) {
        if (readFailure == null) {
          readFailure = e;
        }
      }
      log.warn("the {} pump died", stream, e);
      finish("");
    } finally {
      done.countDown();
    }
  }

  /** Waits up to {@code limit} for the stream's end; returns whether it came. */
  boolean awaitEnd(Duration limit) throws InterruptedException {
    return done.await(limit.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Stops reading: the line so far and the notes are handed on, nothing after. Closes the stream on
   * another thread, since a close can wait for a blocked read.
   */
  void stop(Duration drained) {
    finish(
        "[proteus: "
            + stream
            + " was still open "
            + drained.toMillis()
            + " ms after the command ended (a process that left the attempt holds it); the rest"
            + " was not read]");
    Thread.ofVirtual()
        .start(() -> {
          try {
            in.close();
          } catch (IOException e) {
            log.debug("closing {}: {}", stream, e.getMessage());
          }
        });
  }

  private void finish(String why) {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      stopped = true;
      if (headLength > 0 || tailLength > 0) {
        emit();
      }
      if (readFailure != null) {
        note(
            "[proteus: "
                + stream
                + " could not be read after line "
                + lines
                + " ("
                + readFailure
                + "); "
                + discardedBytes
                + " bytes were discarded]");
      }
      if (!why.isEmpty()) {
        note(why);
      }
      if (lostLines > 0) {
        String lost =
            "[proteus: " + lostLines + " lines of " + stream + " were lost: " + sinkFailure + "]";
        if (!deliver(lost)) {
          log.warn("{}", lost);
        }
      }
    }
  }

  private void note(String text) {
    if (!deliver(text)) {
      log.warn("{}", text);
    }
  }

  private void consume(byte[] buf, int n) {
    int i = 0;
    while (i < n) {
      if (pendingCr) {
        pendingCr = false;
        if (buf[i] == '\n') {
          i++;
          continue;
        }
      }
      int j = i;
      while (j < n && buf[j] != '\n' && buf[j] != '\r') {
        j++;
      }
      append(buf, i, j - i);
      if (j < n) {
        pendingCr = buf[j] == '\r';
        emit();
        j++;
      }
      i = j;
    }
  }

  private void append(byte[] buf, int off, int len) {
    if (headLength + len > head.length && head.length < headCap) {
      head =
          Arrays.copyOf(
              head, (int) Math.min(headCap, Math.max(2L * head.length, (long) headLength + len)));
    }
    int toHead = Math.min(len, head.length - headLength);
    System.arraycopy(buf, off, head, headLength, toHead);
    headLength += toHead;
    off += toHead;
    len -= toHead;
    if (len > 0 && tail.length == 0) {
      tail = new byte[tailCap];
    }
    while (len > 0) {
      int at = (int) (tailLength % tail.length);
      int chunk = Math.min(len, tail.length - at);
      System.arraycopy(buf, off, tail, at, chunk);
      tailLength += chunk;
      off += chunk;
      len -= chunk;
    }
  }

  private void emit() {
    String line;
    if (tailLength <= tailCap) {
      byte[] whole = new byte[headLength + (int) tailLength];
      System.arraycopy(head, 0, whole, 0, headLength);
      System.arraycopy(tail, 0, whole, headLength, (int) tailLength);
      line = new String(whole, StandardCharsets.UTF_8);
    } else {
      int at = (int) (tailLength % tail.length);
      byte[] last = new byte[tail.length];
      System.arraycopy(tail, at, last, 0, tail.length - at);
      System.arraycopy(tail, 0, last, tail.length - at, at);
      line =
          new String(head, 0, headLength, StandardCharsets.UTF_8)
              + " [proteus: "
              + (tailLength - tail.length)
              + " bytes of this line dropped by the line cap of "
              + (headCap + tailCap)
              + " bytes] "
              + new String(last, StandardCharsets.UTF_8);
    }
    headLength = 0;
    tailLength = 0;
    lines++;
    if (!deliver(line)) {
      lostLines++;
    }
  }

  private boolean deliver(String line) {
    try {
      sink.accept(line);
      return true;
    } catch (RuntimeException | VirtualMachineError e) {
      if (sinkFailure == null) {
        sinkFailure = e;
        log.warn("the {} sink failed; lines are lost until it works again", stream, e);
      }
      return false;
    }
  }
}
