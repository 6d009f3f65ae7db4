package io.proteus.core.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One command's share of a stream that several commands write in turn: its bytes up to the end
 * marker the launcher writes after the command, then an end of stream. Matched on bytes, before any
 * line is cut, so a marker glued to a last line without its {@code \n} still ends the stream there
 * and the line is whole. Bytes that could start the marker are held back until they turn out to be
 * output or the marker; a marker holds no line end, so a held byte never delays a line. The marker
 * is followed by a trailer up to a {@code \n} (the exit code, on stdout), which is handed to {@code
 * onEnd}; a stream that ends, fails or runs a trailer too long before that hands on {@code null}.
 * Bytes after the trailer's {@code \n} are not the command's: they are dropped and make {@link
 * #clean()} false. {@link #close()} leaves the shared stream open. One thread reads it.
 */
final class MarkedStream extends InputStream {
  private static final int MAX_TRAILER = 16;

  private final InputStream in;
  private final byte[] marker;
  private final int[] border;
  private final Consumer<@Nullable String> onEnd;
  private final byte[] raw = new byte[8192];
  private final byte[] ready;
  private int readyFrom;
  private int readyTo;
  private int matched;
  private final StringBuilder trailer = new StringBuilder();
  private boolean inTrailer;
  private boolean ended;
  private volatile boolean marked;
  private volatile boolean stray;
  private volatile boolean closed;

  MarkedStream(InputStream in, byte[] marker, Consumer<@Nullable String> onEnd) {
    for (byte c : marker) {
      if (c == '\n' || c == '\r') {
        throw new IllegalArgumentException("a marker holds no line end");
      }
    }
    if (marker.length == 0) {
      throw new IllegalArgumentException("empty marker");
    }
    this.in = in;
    this.marker = marker.clone();
    this.onEnd = onEnd;
    this.border = borders(this.marker);
    this.ready = new byte[raw.length + marker.length];
  }

  /** For each prefix length {@code i + 1}, the length of its longest proper border. */
  private static int[] borders(byte[] m) {
    int[] b = new int[m.length];
    int k = 0;
    for (int i = 1; i < m.length; i++) {
      while (k > 0 && m[i] != m[k]) {
        k = b[k - 1];
      }
      if (m[i] == m[k]) {
        k++;
      }
      b[i] = k;
    }
    return b;
  }

  /** Whether the stream ended on its marker and a trailer, and nothing came after them. */
  boolean clean() {
    return marked && !stray;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    while (true) {
      if (readyFrom < readyTo) {
        int n = Math.min(len, readyTo - readyFrom);
        System.arraycopy(ready, readyFrom, b, off, n);
        readyFrom += n;
        return n;
      }
      if (ended || closed) {
        return -1;
      }
      readyFrom = 0;
      readyTo = 0;
      int n;
      try {
        n = in.read(raw, 0, raw.length);
      } catch (IOException | RuntimeException e) {
        end(null);
        throw e;
      }
      if (n < 0) {
        if (!inTrailer) {
          hand(marker, 0, matched);
        }
        end(null);
      } else {
        scan(n);
      }
    }
  }

  private void scan(int n) {
    int i = 0;
    while (i < n && !ended) {
      byte c = raw[i];
      if (inTrailer) {
        if (c == '\n') {
          stray = i + 1 < n;
          marked = true;
          end(trailer.toString());
        } else if (trailer.length() >= MAX_TRAILER) {
          end(null);
        } else {
          trailer.append((char) (c & 0xff));
        }
        i++;
        continue;
      }
      if (matched == 0) {
        int j = i;
        while (j < n && raw[j] != marker[0]) {
          j++;
        }
        hand(raw, i, j - i);
        if (j == n) {
          return;
        }
        i = j;
        c = raw[i];
      }
      while (matched > 0 && marker[matched] != c) {
        int keep = border[matched - 1];
        hand(marker, 0, matched - keep);
        matched = keep;
      }
      if (marker[matched] == c) {
        matched++;
        if (matched == marker.length) {
          matched = 0;
          inTrailer = true;
        }
      } else {
        hand(raw, i, 1);
      }
      i++;
    }
  }

  private void hand(byte[] from, int off, int len) {
    System.arraycopy(from, off, ready, readyTo, len);
    readyTo += len;
  }

  private void end(@Nullable String why) {
    if (ended) {
      return;
    }
    ended = true;
    onEnd.accept(why);
  }

  /** Reads return the end of stream from now on; the shared stream stays open. */
  @Override
  public void close() {
    closed = true;
  }

  /** The bytes of a marker. */
  static byte[] markerBytes(String marker) {
    return marker.getBytes(StandardCharsets.US_ASCII);
  }
}
