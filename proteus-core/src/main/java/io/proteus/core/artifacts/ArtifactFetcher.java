package io.proteus.core.artifacts;

import io.proteus.ArtifactException;
import io.proteus.ArtifactException.Reason;
import io.proteus.core.internal.artifacts.ContentCache;
import io.proteus.core.internal.artifacts.Fetching;
import io.proteus.core.internal.artifacts.ManifestFiles;
import io.proteus.core.internal.artifacts.ManifestJson;
import io.proteus.core.internal.artifacts.Retries;
import io.proteus.core.internal.artifacts.Sha256;
import io.proteus.core.internal.artifacts.Uploads;
import io.proteus.spi.BuildFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * A worker's side of the artifact server: downloads a job's files (OkHttp) into a content-addressed
 * cache under a byte budget, checking each file's SHA-256 as it streams, so the second task of a
 * build downloads nothing. Broken downloads are resumed with {@code Range}; transient failures are
 * retried a bounded number of times; concurrent fetches of one digest share one download. The cache
 * and retry rules are in docs/artifacts.md.
 *
 * <p>Thread-safe. One fetcher uses one cache folder: two fetchers (or processes) must not share
 * one.
 */
public final class ArtifactFetcher implements AutoCloseable {
  private final ArtifactFetcherBuilder options;
  private final OkHttpClient client;
  private final Fetching fetching;
  private final Retries retries;

  ArtifactFetcher(ArtifactFetcherBuilder b) throws IOException {
    this.options = b;
    OkHttpClient.Builder ok =
        new OkHttpClient.Builder()
            .connectTimeout(b.connectTimeout)
            .readTimeout(b.readTimeout)
            .writeTimeout(b.readTimeout)
            .callTimeout(b.callTimeout)
            .retryOnConnectionFailure(false)
            .followRedirects(false)
            .followSslRedirects(false)
            .connectionPool(new ConnectionPool(4, 1, java.util.concurrent.TimeUnit.MINUTES));
    if (b.trustStore != null) {
      X509TrustManager tm = trustManager(b.trustStore);
      try {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {tm}, null);
        ok.sslSocketFactory(ctx.getSocketFactory(), tm);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot set up TLS with the trust store", e);
      }
    }
    this.client = ok.build();
    this.retries = new Retries(b.maxAttempts, b.initialBackoff, b.maxBackoff);
    this.fetching =
        new Fetching(client, retries, new ContentCache(b.cacheRoot, b.budgetBytes), b.callTimeout);
  }

  /** A builder for a fetcher whose cache is in {@code cacheRoot}. */
  public static ArtifactFetcherBuilder builder(Path cacheRoot) {
    return new ArtifactFetcherBuilder(cacheRoot);
  }

  /**
   * The file at {@code relativePath} of the job at {@code jobBase} (a registration's {@link
   * ArtifactServer.Registration#baseUrl}), from the cache when it holds {@code expectedSha256},
   * else downloaded and checked. The returned file is the cache's own: read it, do not change it.
   * It is the most recently used, so it is evicted last, but it is not pinned: copy it out or use
   * {@link #files} to hold it while reading.
   *
   * @throws ArtifactException {@code DIGEST_MISMATCH} or {@code SIZE_MISMATCH} when the bytes are
   *     not the expected ones (nothing is kept), {@code NOT_FOUND}, {@code UNAUTHORIZED}, {@code
   *     TOO_LARGE} or {@code CACHE_FULL}, or {@code UNAVAILABLE} after the retries
   */
  public Path fetch(
      URI jobBase, String token, String relativePath, String expectedSha256, long expectedSize) {
    if (!Sha256.isHex(expectedSha256) || expectedSize < 0) {
      throw new IllegalArgumentException(
          "a SHA-256 is 64 lower-case hex digits and a size >= 0: " + expectedSha256);
    }
    HttpUrl url = Fetching.fileUrl(base(jobBase), relativePath);
    return fetching.fetch(url, token, expectedSha256, expectedSize, "file " + relativePath);
  }

  /**
   * The job's manifest: its files with their sizes and digests.
   *
   * @throws ArtifactException as {@link #fetch} does, and {@code TOO_LARGE} for a manifest over the
   *     limits
   */
  public Manifest manifest(URI jobBase, String token) {
    HttpUrl url = base(jobBase).newBuilder().addPathSegment("manifest").build();
    byte[] json = fetching.get(url, token, options.maxManifestBytes, "the manifest");
    try {
      return ManifestJson.read(json, options.maxManifestFiles);
    } catch (IOException e) {
      throw new ArtifactException(Reason.IO, "the manifest is not valid: " + e.getMessage(), e);
    }
  }

  /**
   * The job's files as {@link BuildFiles}, for a worker to stage from: each {@code open} takes the
   * file from the cache, downloading it first if needed, and keeps it from eviction until the
   * stream is closed. A path the manifest does not list is a {@link
   * java.nio.file.NoSuchFileException}.
   */
  public BuildFiles files(URI jobBase, String token, Manifest manifest) {
    return new ManifestFiles(fetching, base(jobBase), token, manifest);
  }

  /**
   * Uploads an attempt's log to the job's server, retried as downloads are; a repeated upload
   * replaces the stored log.
   *
   * @return the size and SHA-256 the server stored
   * @throws ArtifactException {@code TOO_LARGE} when the server's limit is lower than the log
   */
  public LogReceipt uploadLog(URI jobBase, String token, int task, int attempt, Path log) {
    if (task < 0 || attempt < 1) {
      throw new IllegalArgumentException(
          "a task index >= 0 and an attempt >= 1: " + task + ", " + attempt);
    }
    HttpUrl url =
        base(jobBase)
            .newBuilder()
            .addPathSegment("logs")
            .addPathSegment(Integer.toString(task))
            .addPathSegment(Integer.toString(attempt))
            .build();
    return Uploads.put(client, retries, url, token, log);
  }

  /** The bytes the cache holds now. */
  public long cachedBytes() {
    return fetching.cache().storedBytes();
  }

  /** Ends the HTTP client's idle connections and threads. The cache stays on disk. */
  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private HttpUrl base(URI jobBase) {
    HttpUrl url = HttpUrl.parse(jobBase.toString());
    if (url == null || !url.encodedPath().endsWith("/")) {
      throw new IllegalArgumentException("not a job's base URL (http(s), ending in /): " + jobBase);
    }
    if (options.trustStore != null && !url.isHttps()) {
      throw new IllegalArgumentException("TLS is configured: refusing a plain http URL " + jobBase);
    }
    return url;
  }

  private static X509TrustManager trustManager(KeyStore trustStore) {
    try {
      TrustManagerFactory f =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(trustStore);
      for (TrustManager tm : f.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          return x;
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use the trust store", e);
    }
    throw new IllegalArgumentException("the trust store gives no X.509 trust manager");
  }

  /**
   * What the server stored of an uploaded log.
   *
   * @param size its length
   * @param sha256 its SHA-256 in hex
   */
  public record LogReceipt(long size, String sha256) {}
}
