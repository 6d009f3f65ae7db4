package io.proteus.core.artifacts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy in front of the real artifact server that breaks chosen connections: it cuts an
 * answer after some bytes, stalls, answers 503 itself, holds a request until released, or strips
 * {@code Range} (a server that ignores it). Every request is forwarded with {@code Connection:
 * close}, so each request is one connection, and every request head is recorded.
 */
final class FlakyProxy implements AutoCloseable {
  enum Fault {
    NONE,
    CUT,
    STALL,
    UNAVAILABLE
  }

  private final ServerSocket listener;
  private final int target;
  private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
  private final List<String> heads = Collections.synchronizedList(new ArrayList<>());
  private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
  volatile long cutAfter = 1000;
  volatile boolean stripRange;
  volatile CountDownLatch hold = new CountDownLatch(0);

  FlakyProxy(int target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** The faults for the next connections, in order; then connections pass. */
  FlakyProxy then(Fault... next) {
    faults.addAll(List.of(next));
    return this;
  }

  List<String> heads() {
    synchronized (heads) {
      return List.copyOf(heads);
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        open.add(client);
        Thread.ofVirtual().start(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      client.setSoTimeout(20_000);
      InputStream in = client.getInputStream();
      byte[] head = readHead(in);
      String text = new String(head, StandardCharsets.ISO_8859_1);
      heads.add(text);
      Fault fault = faults.poll();
      fault = fault == null ? Fault.NONE : fault;
      OutputStream toClient = client.getOutputStream();
      if (fault == Fault.UNAVAILABLE) {
        toClient.write(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        return;
      }
      if (fault == Fault.STALL) {
        while (in.read() >= 0) {
          // wait for the client to give up
        }
        return;
      }
      if (!hold.await(20, TimeUnit.SECONDS)) {
        return;
      }
      try (Socket up = new Socket()) {
        open.add(up);
        up.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5_000);
        up.getOutputStream().write(rewrite(text).getBytes(StandardCharsets.ISO_8859_1));
        Thread.ofVirtual().start(() -> pump(in, up));
        InputStream fromUp = up.getInputStream();
        long limit = fault == Fault.CUT ? cutAfter : Long.MAX_VALUE;
        byte[] buf = new byte[8192];
        long sent = 0;
        int n;
        while (sent < limit
            && (n = fromUp.read(buf, 0, (int) Math.min(buf.length, limit - sent))) > 0) {
          toClient.write(buf, 0, n);
          toClient.flush();
          sent += n;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the connection is over
    }
  }

  private String rewrite(String head) {
    StringBuilder out = new StringBuilder();
    for (String line : head.split("\r\n")) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("connection:")
          || (stripRange && (lower.startsWith("range:") || lower.startsWith("if-range:")))) {
        continue;
      }
      out.append(line).append("\r\n");
    }
    return out.append("Connection: close\r\n\r\n").toString();
  }

  private static void pump(InputStream in, Socket up) {
    try {
      in.transferTo(up.getOutputStream());
    } catch (IOException e) {
      // either side closed
    }
  }

  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0 || head.size() > 65536) {
        throw new IOException("no request head");
      }
      head.write(b);
      state =
          (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
              ? state + 1
              : (b == '\r' ? 1 : 0);
    }
    byte[] all = head.toByteArray();
    return java.util.Arrays.copyOf(all, all.length - 4);
  }

  @Override
  public void close() throws IOException {
    hold.countDown();
    listener.close();
    synchronized (open) {
      for (Socket s : open) {
        s.close();
      }
    }
  }
}
