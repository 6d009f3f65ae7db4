package io.proteus.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback in front of a server (a broker, an artifact server), for the network
 * faults a test makes on purpose: {@link #cut()} closes every connection and refuses new ones (a
 * closed socket, a killed peer), {@link #silence()} keeps them open but passes no byte either way
 * (a partition), {@link #restore()} ends either. It keeps the first 8 MiB it passed, so a test can
 * check what crossed the wire.
 */
public final class TcpProxy implements AutoCloseable {
  private enum Mode {
    OPEN,
    CUT,
    SILENT
  }

  private final int upstream;
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private volatile Mode mode = Mode.OPEN;
  private final java.io.ByteArrayOutputStream seen = new ByteArrayOutputStream();
  private static final int SEEN_CAP = 8 << 20;

  /** A proxy to {@code upstream} on loopback, listening on a free loopback port. */
  public TcpProxy(int upstream) throws IOException {
    this.upstream = upstream;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("proxy-accept-" + server.getLocalPort()).start(this::accept);
  }

  /** The port to connect to instead of the server's. */
  public int port() {
    return server.getLocalPort();
  }

  /** Every byte passed so far, both ways (up to 8 MiB). */
  public byte[] seen() {
    synchronized (seen) {
      return seen.toByteArray();
    }
  }

  /** Closes every connection and refuses new ones until {@link #restore()}. */
  public void cut() {
    mode = Mode.CUT;
    closeAll();
  }

  /** Passes no byte either way, on open and new connections, until {@link #restore()}. */
  public void silence() {
    mode = Mode.SILENT;
  }

  /** Passes bytes again and accepts new connections. */
  public void restore() {
    synchronized (gate) {
      mode = Mode.OPEN;
      gate.notifyAll();
    }
  }

  /** Stops listening and closes every connection. */
  @Override
  public void close() throws IOException {
    server.close();
    restore();
    closeAll();
  }

  private void closeAll() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }
    sockets.clear();
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      if (mode == Mode.CUT) {
        try {
          client.close();
        } catch (IOException e) {
          // nothing to do
        }
        continue;
      }
      try {
        Socket up = new Socket();
        up.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstream), 2000);
        up.setTcpNoDelay(true);
        client.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(up);
        Thread.ofVirtual().start(() -> pump(client, up));
        Thread.ofVirtual().start(() -> pump(up, client));
      } catch (IOException e) {
        try {
          client.close();
        } catch (IOException ignored) {
          // nothing to do
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try (from;
        to) {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        awaitPassable();
        if (mode == Mode.CUT) {
          return;
        }
        out.write(buf, 0, n);
        out.flush();
        synchronized (seen) {
          if (seen.size() < SEEN_CAP) {
            seen.write(buf, 0, n);
          }
        }
      }
    } catch (IOException | InterruptedException e) {
      // the connection ended
    }
  }

  private void awaitPassable() throws InterruptedException {
    synchronized (gate) {
      while (mode == Mode.SILENT) {
        gate.wait();
      }
    }
  }
}
