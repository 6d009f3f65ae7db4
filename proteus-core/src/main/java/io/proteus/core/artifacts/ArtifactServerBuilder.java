package io.proteus.core.artifacts;

import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Settings of an {@link ArtifactServer}, checked as they are set. Every default is safe: loopback
 * only, bounded threads, connections, headers, idle time, logs and manifests.
 */
public final class ArtifactServerBuilder {
  String host = "127.0.0.1";
  @Nullable String advertisedHost;
  int port;
  @Nullable KeyStore keyStore;
  char @Nullable [] keyPassword;
  int maxThreads = 64;
  int maxConnections = 256;
  Duration idleTimeout = Duration.ofSeconds(30);
  @Nullable Path logRoot;
  long maxLogBytes = 64L << 20;
  int maxManifestFiles = 100_000;
  long maxManifestBytes = 16L << 30;

  ArtifactServerBuilder() {}

  /** The address to listen on; default {@code 127.0.0.1}. {@code 0.0.0.0} listens everywhere. */
  public ArtifactServerBuilder host(String host) {
    this.host = host;
    return this;
  }

  /**
   * The host name workers reach the server by, in the URLs {@link ArtifactServer#register} gives;
   * default the address it listens on.
   */
  public ArtifactServerBuilder advertisedHost(String host) {
    this.advertisedHost = host;
    return this;
  }

  /** The port; default 0, any free one ({@link ArtifactServer#port()} tells which). */
  public ArtifactServerBuilder port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("a port is 0 to 65535: " + port);
    }
    this.port = port;
    return this;
  }

  /**
   * Serves over TLS (1.2 or 1.3) only, with the key and certificate chain in {@code keyStore}
   * (already loaded), whose key is protected by {@code keyPassword}. With TLS no token ever crosses
   * the network in clear.
   */
  public ArtifactServerBuilder tls(KeyStore keyStore, char[] keyPassword) {
    this.keyStore = keyStore;
    this.keyPassword = keyPassword.clone();
    return this;
  }

  /** The most requests handled at once, each on a virtual thread; default 64. */
  public ArtifactServerBuilder maxThreads(int n) {
    this.maxThreads = positive(n, "maxThreads");
    return this;
  }

  /** The most open connections; default 256. Further ones wait to be accepted. */
  public ArtifactServerBuilder maxConnections(int n) {
    this.maxConnections = positive(n, "maxConnections");
    return this;
  }

  /** How long a connection may stay idle, or a read or write stall; default 30 s. */
  public ArtifactServerBuilder idleTimeout(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive: " + d);
    }
    this.idleTimeout = d;
    return this;
  }

  /**
   * Takes attempt logs into {@code <root>/<job>/<task>-a<attempt>.log}; without it log uploads are
   * answered 404.
   */
  public ArtifactServerBuilder logRoot(Path root) {
    this.logRoot = root;
    return this;
  }

  /** The largest log taken; larger uploads are answered 413. Default 64 MiB. */
  public ArtifactServerBuilder maxLogBytes(long bytes) {
    this.maxLogBytes = positive(bytes, "maxLogBytes");
    return this;
  }

  /**
   * The most files and bytes one job's manifest may list (and hash); beyond them the manifest is
   * answered 422. Defaults 100,000 files and 16 GiB.
   */
  public ArtifactServerBuilder maxManifest(int files, long bytes) {
    this.maxManifestFiles = positive(files, "maxManifest files");
    this.maxManifestBytes = positive(bytes, "maxManifest bytes");
    return this;
  }

  /** The server with these settings, not yet started. */
  public ArtifactServer build() {
    return new ArtifactServer(this);
  }

  private static int positive(int n, String what) {
    return (int) positive((long) n, what);
  }

  private static long positive(long n, String what) {
    if (n <= 0) {
      throw new IllegalArgumentException(what + " must be positive: " + n);
    }
    return n;
  }
}
