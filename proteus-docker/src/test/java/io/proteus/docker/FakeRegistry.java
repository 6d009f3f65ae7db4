package io.proteus.docker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;

/**
 * A minimal registry (distribution API v2) on loopback serving one busybox image behind basic
 * authentication: the only way to test pulls with credentials where no real registry is reachable.
 * The Docker daemon treats 127.0.0.0/8 registries as insecure, so plain HTTP works.
 */
final class FakeRegistry implements AutoCloseable {
  private final HttpServer server;
  private final String user;
  private final String password;
  private final Map<String, byte[]> blobs;
  private final byte[] manifest;
  private final String manifestDigest;
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  FakeRegistry(String user, String password) throws IOException {
    this.user = user;
    this.password = password;
    byte[] tar = BusyboxImage.root(Path.of("/bin/busybox"));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(tar);
    }
    byte[] layer = gz.toByteArray();
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + digest(tar)
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    this.blobs = Map.of(digest(layer), layer, digest(config), config);
    this.manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":"
                + config.length
                + ",\"digest\":\""
                + digest(config)
                + "\"},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":"
                + layer.length
                + ",\"digest\":\""
                + digest(layer)
                + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    this.manifestDigest = digest(manifest);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/v2/", this::handle);
    server.start();
  }

  /** {@code 127.0.0.1:PORT}. */
  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth != null) {
      authorizations.add(auth);
    }
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(auth)) {
      ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"proteus-test\"");
      ex.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
      send(
          ex,
          401,
          "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8),
          "application/json");
      return;
    }
    ex.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
    String path = ex.getRequestURI().getPath();
    if (path.equals("/v2/")) {
      send(ex, 200, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
    } else if (path.contains("/manifests/")) {
      ex.getResponseHeaders().add("Docker-Content-Digest", manifestDigest);
      send(ex, 200, manifest, "application/vnd.docker.distribution.manifest.v2+json");
    } else if (path.contains("/blobs/")) {
      byte[] blob = blobs.get(path.substring(path.lastIndexOf('/') + 1));
      if (blob == null) {
        send(ex, 404, new byte[0], "application/json");
      } else {
        ex.getResponseHeaders()
            .add("Docker-Content-Digest", path.substring(path.lastIndexOf('/') + 1));
        send(ex, 200, blob, "application/octet-stream");
      }
    } else {
      send(ex, 404, new byte[0], "application/json");
    }
  }

  private static void send(HttpExchange ex, int code, byte[] body, String type) throws IOException {
    ex.getResponseHeaders().add("Content-Type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    if (head) {
      ex.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
    }
    ex.sendResponseHeaders(code, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      ex.getResponseBody().write(body);
    }
    ex.close();
  }

  private static String digest(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
