package io.proteus.core.internal.artifacts;

import io.proteus.ArtifactException;
import io.proteus.core.artifacts.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The artifact server's endpoints (docs/artifacts.md). Each request is routed on its raw path, then
 * authorized (401 for a missing, malformed or wrong token, and for a job the server does not know),
 * then its file path is checked and resolved (404 for anything not served, the same answer as a
 * missing file). Nothing here logs a token or a header.
 */
public final class ArtifactHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(ArtifactHandler.class);
  private static final String PREFIX = "/v1/jobs/";

  private final Registry registry;
  private final @Nullable LogStore logs;
  private final Stats stats;

  /** A handler over these jobs, storing logs in {@code logs} (none: uploads are refused). */
  public ArtifactHandler(Registry registry, @Nullable LogStore logs, Stats stats) {
    this.registry = registry;
    this.logs = logs;
    this.stats = stats;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    stats.requests.increment();
    try {
      route(request, response, callback);
    } catch (IOException | RuntimeException e) {
      if (response.isCommitted() && e instanceof IOException) {
        log.debug("an artifact answer was cut: {}", e.toString());
      } else {
        log.warn("artifact request failed: {}", e.toString());
      }
      if (response.isCommitted()) {
        callback.failed(e);
      } else {
        text(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "server error");
      }
    }
    return true;
  }

  private void route(Request request, Response response, Callback callback) throws IOException {
    String path = request.getHttpURI().getPath();
    if (path == null || !path.startsWith(PREFIX)) {
      notFound(response, callback);
      return;
    }
    String rest = path.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      notFound(response, callback);
      return;
    }
    String job = rest.substring(0, slash);
    String tail = rest.substring(slash + 1);
    String method = request.getMethod();
    boolean read = method.equals("GET") || method.equals("HEAD");
    if (tail.equals("manifest") || tail.startsWith("files/")) {
      if (!read) {
        notAllowed(response, callback, "GET, HEAD");
        return;
      }
    } else if (tail.startsWith("logs/")) {
      if (!method.equals("PUT")) {
        notAllowed(response, callback, "PUT");
        return;
      }
    } else {
      notFound(response, callback);
      return;
    }
    Optional<Registry.Registered> reg = authorize(request, job);
    if (reg.isEmpty()) {
      log.debug(
          "refused a {} for job {}: no valid token",
          method,
          FilePaths.isJobId(job) ? job : "(not a job id)");
      unauthorized(request, response, callback);
      return;
    }
    if (tail.equals("manifest")) {
      manifest(reg.get(), request, response, callback);
    } else if (tail.startsWith("files/")) {
      file(reg.get(), tail.substring("files/".length()), request, response, callback);
    } else {
      upload(job, tail.substring("logs/".length()), request, response, callback);
    }
  }

  private Optional<Registry.Registered> authorize(Request request, String job) {
    List<String> values = request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION);
    if (values.size() != 1) {
      return Optional.empty();
    }
    return Tokens.bearer(values.get(0)).flatMap(token -> registry.authorize(job, token));
  }

  private void file(
      Registry.Registered reg, String raw, Request request, Response response, Callback callback)
      throws IOException {
    Optional<List<String>> segments = FilePaths.decode(raw);
    Optional<JobFiles.OpenFile> opened =
        segments.isEmpty() ? Optional.empty() : reg.files().open(segments.get());
    if (opened.isEmpty()) {
      notFound(response, callback);
      return;
    }
    try (JobFiles.OpenFile f = opened.get()) {
      String etag = "\"" + f.sha256() + "\"";
      var headers = response.getHeaders();
      headers.put(HttpHeader.ACCEPT_RANGES, "bytes");
      headers.put(HttpHeader.ETAG, etag);
      headers.put("X-Proteus-Sha256", f.sha256());
      headers.put("Repr-Digest", "sha-256=:" + Sha256.base64(f.sha256()) + ":");
      headers.put(HttpHeader.CACHE_CONTROL, "no-store");
      headers.put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
      String ifRange = request.getHeaders().get(HttpHeader.IF_RANGE);
      Optional<String> range =
          ifRange == null || ifRange.equals(etag)
              ? Optional.ofNullable(request.getHeaders().get(HttpHeader.RANGE))
              : Optional.empty();
      long first = 0;
      long length = f.size();
      switch (ByteRange.parse(range, f.size())) {
        case ByteRange.Unsatisfiable u -> {
          headers.put(HttpHeader.CONTENT_RANGE, "bytes */" + f.size());
          text(response, callback, HttpStatus.RANGE_NOT_SATISFIABLE_416, "range not satisfiable");
          return;
        }
        case ByteRange.Part p -> {
          first = p.range().first();
          length = p.range().length();
          response.setStatus(HttpStatus.PARTIAL_CONTENT_206);
          headers.put(
              HttpHeader.CONTENT_RANGE,
              "bytes " + p.range().first() + "-" + p.range().last() + "/" + f.size());
        }
        case ByteRange.Whole w -> response.setStatus(HttpStatus.OK_200);
      }
      headers.put(HttpHeader.CONTENT_LENGTH, length);
      if (request.getMethod().equals("HEAD")) {
        response.write(true, ByteBuffer.allocate(0), callback);
        return;
      }
      stats.filesServed.increment();
      stats.bytesServed.add(length);
      try (OutputStream out = Content.Sink.asOutputStream(response)) {
        f.copy(first, length, out);
      }
      callback.succeeded();
    }
  }

  private void manifest(
      Registry.Registered reg, Request request, Response response, Callback callback)
      throws IOException {
    Manifest m;
    try {
      m = reg.manifest();
    } catch (ArtifactException e) {
      log.warn("no manifest for job {}: {}", reg.job(), e.getMessage());
      text(response, callback, HttpStatus.UNPROCESSABLE_ENTITY_422, "too many files to list");
      return;
    }
    byte[] json = ManifestJson.write(m);
    response.setStatus(HttpStatus.OK_200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, json.length);
    boolean head = request.getMethod().equals("HEAD");
    response.write(true, ByteBuffer.wrap(head ? new byte[0] : json), callback);
  }

  private void upload(
      String job, String names, Request request, Response response, Callback callback)
      throws IOException {
    String[] parts = names.split("/", -1);
    Optional<Path> dest =
        logs == null || parts.length != 2 ? Optional.empty() : logs.where(job, parts[0], parts[1]);
    if (dest.isEmpty() || logs == null) {
      notFound(response, callback);
      return;
    }
    if (request.getLength() > logs.maxBytes()) {
      text(
          response,
          callback,
          HttpStatus.PAYLOAD_TOO_LARGE_413,
          "a log has at most " + logs.maxBytes() + " bytes");
      return;
    }
    Sha256.Sized stored;
    try (InputStream in = Content.Source.asInputStream(request)) {
      stored = logs.store(dest.get(), in);
    } catch (LogStore.TooLarge e) {
      text(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, e.getMessage());
      return;
    }
    stats.logsStored.increment();
    byte[] json =
        ("{\"size\":" + stored.size() + ",\"sha256\":\"" + stored.sha256() + "\"}\n")
            .getBytes(StandardCharsets.UTF_8);
    response.setStatus(HttpStatus.CREATED_201);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, json.length);
    response.write(true, ByteBuffer.wrap(json), callback);
  }

  private void unauthorized(Request request, Response response, Callback callback) {
    stats.unauthorized.increment();
    boolean given = request.getHeaders().contains(HttpHeader.AUTHORIZATION);
    response
        .getHeaders()
        .put(
            HttpHeader.WWW_AUTHENTICATE,
            given
                ? "Bearer realm=\"proteus\", error=\"invalid_token\""
                : "Bearer realm=\"proteus\"");
    text(response, callback, HttpStatus.UNAUTHORIZED_401, "unauthorized");
  }

  private void notFound(Response response, Callback callback) {
    stats.notFound.increment();
    text(response, callback, HttpStatus.NOT_FOUND_404, "not found");
  }

  private static void notAllowed(Response response, Callback callback, String allow) {
    response.getHeaders().put(HttpHeader.ALLOW, allow);
    text(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "method not allowed");
  }

  private static void text(Response response, Callback callback, int status, String body) {
    byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }
}
