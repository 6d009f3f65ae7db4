package io.proteus.core.internal.artifacts;

import io.proteus.ArtifactException;
import io.proteus.ArtifactException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The fetcher's work: files from the cache or downloaded into it, with one download per digest at a
 * time (callers asking for a digest being downloaded wait for that download), and manifests.
 */
public final class Fetching {
  private final OkHttpClient client;
  private final Retries retries;
  private final ContentCache cache;
  private final Duration waitLimit;
  private final Map<String, CompletableFuture<Path>> inflight = new ConcurrentHashMap<>();

  /** Fetching through {@code client} into {@code cache}. */
  public Fetching(OkHttpClient client, Retries retries, ContentCache cache, Duration callTimeout) {
    this.client = client;
    this.retries = retries;
    this.cache = cache;
    this.waitLimit = retries.worstCase(callTimeout).plusSeconds(10);
  }

  /** The cache. */
  public ContentCache cache() {
    return cache;
  }

  /** The URL of a file below a job's base URL; the path must pass {@link FilePaths#split}. */
  public static HttpUrl fileUrl(HttpUrl base, String relativePath) {
    List<String> segments =
        FilePaths.split(relativePath)
            .orElseThrow(
                () -> new IllegalArgumentException("not a build file's path: " + relativePath));
    HttpUrl.Builder b = base.newBuilder().addPathSegment("files");
    segments.forEach(b::addPathSegment);
    return b.build();
  }

  /** The file with this digest, from the cache or downloaded from {@code url}. */
  public Path fetch(HttpUrl url, String token, String sha, long size, String what) {
    Path hit = cache.lookup(sha, size).orElse(null);
    if (hit != null) {
      return hit;
    }
    CompletableFuture<Path> mine = new CompletableFuture<>();
    CompletableFuture<Path> running = inflight.putIfAbsent(sha, mine);
    if (running != null) {
      return await(running, what);
    }
    try {
      Path p = cache.lookup(sha, size).orElse(null);
      if (p == null) {
        p = download(url, token, sha, size, what);
      }
      mine.complete(p);
      return p;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inflight.remove(sha, mine);
    }
  }

  private Path download(HttpUrl url, String token, String sha, long size, String what) {
    cache.reserve(size);
    boolean committed = false;
    try {
      Path partial = cache.partialOf(sha);
      new Download(client, retries, url, token, sha, size, what).into(partial);
      Path p = cache.commit(sha, size, partial);
      committed = true;
      return p;
    } catch (IOException e) {
      throw new ArtifactException(Reason.IO, what + ": cannot keep the file: " + e.getMessage(), e);
    } finally {
      if (!committed) {
        cache.release(size);
      }
    }
  }

  private Path await(CompletableFuture<Path> running, String what) {
    try {
      return running.get(waitLimit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ArtifactException a) {
        throw new ArtifactException(a.reason(), a.getMessage(), a);
      }
      throw new ArtifactException(Reason.IO, what + ": " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new ArtifactException(
          Reason.UNAVAILABLE, what + ": the download under way took longer than " + waitLimit, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArtifactException(Reason.IO, what + ": interrupted", e);
    }
  }

  /** The body of a GET of {@code url}, at most {@code maxBytes}, with retries. */
  public byte[] get(HttpUrl url, String token, long maxBytes, String what) {
    for (int attempt = 1; ; attempt++) {
      if (attempt > 1) {
        retries.pause(attempt);
      }
      Request req =
          new Request.Builder().url(url).header("Authorization", "Bearer " + token).build();
      try (Response resp = client.newCall(req).execute()) {
        int code = resp.code();
        if (code == 200) {
          try (InputStream in = resp.body().byteStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
              throw new ArtifactException(
                  Reason.TOO_LARGE, what + ": more than " + maxBytes + " bytes");
            }
            return bytes;
          }
        }
        check(code, what);
        if (attempt >= retries.maxAttempts()) {
          throw new ArtifactException(
              Reason.UNAVAILABLE,
              what + ": the server answered " + code + " " + attempt + " times");
        }
      } catch (IOException e) {
        if (attempt >= retries.maxAttempts()) {
          throw new ArtifactException(
              Reason.UNAVAILABLE,
              what + ": still failing after " + attempt + " tries: " + e.getMessage(),
              e);
        }
      }
    }
  }

  /** Throws for an answer no retry can change; returns for one worth another try. */
  public static void check(int code, String what) {
    if (code == 401 || code == 403) {
      throw new ArtifactException(
          Reason.UNAUTHORIZED, what + ": the server refused the token (" + code + ")");
    } else if (code == 404) {
      throw new ArtifactException(Reason.NOT_FOUND, what + ": not found");
    } else if (code == 413 || code == 422) {
      throw new ArtifactException(Reason.TOO_LARGE, what + ": the server answered " + code);
    } else if (code < 500 && code != 408 && code != 429) {
      throw new ArtifactException(Reason.UNAVAILABLE, what + ": the server answered " + code);
    }
  }
}
