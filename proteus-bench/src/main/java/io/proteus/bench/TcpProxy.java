package io.proteus.bench;

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
 * A copy of proteus-mqtt's test proxy. A TCP proxy on loopback in front of a broker, for faults a
 * test makes on purpose: {@link #cut()} closes every connection and refuses new ones (a closed
 * socket), {@link #silence()} keeps them open but passes no byte either way (a partition), {@link
 * #restore()} ends either.
 */
final class TcpProxy implements AutoCloseable {
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

  TcpProxy(int upstream) throws IOException {
    this.upstream = upstream;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("proxy-accept-" + server.getLocalPort()).start(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  void cut() {
    mode = Mode.CUT;
    closeAll();
  }

  void silence() {
    mode = Mode.SILENT;
  }

  void restore() {
    synchronized (gate) {
      mode = Mode.OPEN;
      gate.notifyAll();
    }
  }

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
