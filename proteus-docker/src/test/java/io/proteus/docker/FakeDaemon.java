package io.proteus.docker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of the Docker Engine API on loopback to run one container that never ends by itself,
 * with failures on cue: a daemon that answers 500, refuses kills, fails removals, or goes away.
 */
final class FakeDaemon implements AutoCloseable {
  static final String ID = "f".repeat(64);
  private static final Pattern PATH = Pattern.compile("^(?:/v[0-9.]+)?(/[^?]*)$");

  private final HttpServer server;
  final AtomicInteger imageInspectStatus = new AtomicInteger(200);
  final AtomicInteger createStatus = new AtomicInteger(201);
  final AtomicInteger killFailures = new AtomicInteger();
  final AtomicInteger removeFailures = new AtomicInteger();
  final AtomicBoolean waitFails = new AtomicBoolean();
  final AtomicBoolean dead = new AtomicBoolean();
  final AtomicBoolean removed = new AtomicBoolean();
  private final CountDownLatch death = new CountDownLatch(1);

  FakeDaemon() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  String host() {
    return "tcp://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The daemon goes away: the port closes and open connections drop. */
  void stop() {
    server.stop(0);
  }

  @Override
  public void close() {
    die();
    server.stop(0);
  }

  private void die() {
    dead.set(true);
    death.countDown();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      x.getRequestBody().readAllBytes();
      Matcher m = PATH.matcher(x.getRequestURI().getPath());
      String path = m.matches() ? m.group(1) : x.getRequestURI().getPath();
      String method = x.getRequestMethod();
      if (path.equals("/_ping")) {
        reply(x, 200, "OK");
      } else if (path.equals("/containers/json") || path.equals("/images/json")) {
        reply(x, 200, "[]");
      } else if (path.equals("/networks")) {
        reply(x, 200, "[]");
      } else if (path.equals("/volumes")) {
        reply(x, 200, "{\"Volumes\":[]}");
      } else if (path.equals("/volumes/create")) {
        reply(x, 201, "{\"Name\":\"v\"}");
      } else if (path.startsWith("/volumes/")) {
        reply(x, 204, "");
      } else if (path.startsWith("/images/") && path.endsWith("/json")) {
        int status = imageInspectStatus.get();
        reply(
            x,
            status,
            status == 200
                ? "{\"Id\":\"sha256:" + "a".repeat(64) + "\",\"RepoDigests\":[]}"
                : "{\"message\":\"fake daemon failure\"}");
      } else if (path.equals("/containers/create")) {
        int status = createStatus.get();
        reply(
            x,
            status,
            status == 201
                ? "{\"Id\":\"" + ID + "\",\"Warnings\":[]}"
                : "{\"message\":\"fake conflict\"}");
      } else if (path.endsWith("/attach")) {
        x.getResponseHeaders().add("Content-Type", "application/vnd.docker.raw-stream");
        x.sendResponseHeaders(200, 0);
        x.getResponseBody().flush();
        awaitDeath();
      } else if (path.endsWith("/start")) {
        reply(x, 204, "");
      } else if (path.endsWith("/wait")) {
        if (waitFails.get()) {
          reply(x, 500, "{\"message\":\"wait broke\"}");
          return;
        }
        awaitDeath();
        reply(x, 200, "{\"StatusCode\":137}");
      } else if (path.endsWith("/kill")) {
        if (killFailures.getAndDecrement() > 0) {
          reply(x, 500, "{\"message\":\"cannot kill now\"}");
        } else {
          die();
          reply(x, 204, "");
        }
      } else if (path.equals("/containers/" + ID) && method.equals("DELETE")) {
        if (removeFailures.getAndDecrement() > 0) {
          reply(x, 500, "{\"message\":\"cannot remove now\"}");
        } else {
          die();
          removed.set(true);
          reply(x, 204, "");
        }
      } else if (path.equals("/containers/" + ID + "/json")) {
        if (removed.get()) {
          reply(x, 404, "{\"message\":\"No such container\"}");
        } else {
          reply(
              x,
              200,
              "{\"Id\":\""
                  + ID
                  + "\",\"State\":{\"Running\":"
                  + !dead.get()
                  + ",\"ExitCode\":137,\"OOMKilled\":false}}");
        }
      } else {
        reply(x, 404, "{\"message\":\"the fake daemon has no " + method + " " + path + "\"}");
      }
    }
  }

  private void awaitDeath() {
    try {
      death.await(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void reply(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    if (status == 204) {
      x.sendResponseHeaders(204, -1);
      return;
    }
    x.sendResponseHeaders(status, b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }
}
