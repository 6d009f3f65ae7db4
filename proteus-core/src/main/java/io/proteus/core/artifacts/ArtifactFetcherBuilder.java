package io.proteus.core.artifacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Settings of an {@link ArtifactFetcher}, checked as they are set. */
public final class ArtifactFetcherBuilder {
  final Path cacheRoot;
  long budgetBytes = 10L << 30;
  Duration connectTimeout = Duration.ofSeconds(10);
  Duration readTimeout = Duration.ofSeconds(30);
  Duration callTimeout = Duration.ofMinutes(30);
  int maxAttempts = 5;
  Duration initialBackoff = Duration.ofMillis(200);
  Duration maxBackoff = Duration.ofSeconds(5);
  @Nullable KeyStore trustStore;
  long maxManifestBytes = 64L << 20;
  int maxManifestFiles = 100_000;

  ArtifactFetcherBuilder(Path cacheRoot) {
    this.cacheRoot = cacheRoot;
  }

  /** The most bytes the cache keeps; default 10 GiB. */
  public ArtifactFetcherBuilder budgetBytes(long bytes) {
    this.budgetBytes = positive(bytes, "budgetBytes");
    return this;
  }

  /** How long connecting may take; default 10 s. */
  public ArtifactFetcherBuilder connectTimeout(Duration d) {
    this.connectTimeout = positive(d, "connectTimeout");
    return this;
  }

  /** How long a read may wait for the next bytes; default 30 s. */
  public ArtifactFetcherBuilder readTimeout(Duration d) {
    this.readTimeout = positive(d, "readTimeout");
    return this;
  }

  /** How long one request may take in all, body included; default 30 min. */
  public ArtifactFetcherBuilder callTimeout(Duration d) {
    this.callTimeout = positive(d, "callTimeout");
    return this;
  }

  /**
   * How transient failures are retried: at most {@code maxAttempts} tries in all, waiting {@code
   * initialBackoff}, then twice as long each time, up to {@code maxBackoff}. Defaults 5 tries, 200
   * ms, 5 s.
   */
  public ArtifactFetcherBuilder retries(
      int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("maxAttempts is 1 to 100: " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("backoffs must be >= 0 and max >= initial");
    }
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    return this;
  }

  /**
   * Trusts the certificates in {@code trustStore} (for a server whose certificate no public
   * authority signed) and refuses plain {@code http} URLs, so a token never crosses the network in
   * clear. Without it the JDK's default trust applies and {@code http} URLs are allowed.
   */
  public ArtifactFetcherBuilder trustStore(KeyStore trustStore) {
    this.trustStore = trustStore;
    return this;
  }

  /** The largest manifest read, in bytes and files; defaults 64 MiB and 100,000 files. */
  public ArtifactFetcherBuilder maxManifest(int files, long bytes) {
    this.maxManifestFiles = (int) positive(files, "maxManifest files");
    this.maxManifestBytes = positive(bytes, "maxManifest bytes");
    return this;
  }

  /**
   * The fetcher, with its cache opened (made if missing; leftover partial downloads removed).
   *
   * @throws UncheckedIOException when the cache folder cannot be made or read
   */
  public ArtifactFetcher build() {
    try {
      return new ArtifactFetcher(this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the artifact cache " + cacheRoot, e);
    }
  }

  private static long positive(long n, String what) {
    if (n <= 0) {
      throw new IllegalArgumentException(what + " must be positive: " + n);
    }
    return n;
  }

  private static Duration positive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
    return d;
  }
}
