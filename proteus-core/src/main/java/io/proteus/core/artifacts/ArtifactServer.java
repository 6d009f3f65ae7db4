package io.proteus.core.artifacts;

import io.proteus.ProteusException;
import io.proteus.core.internal.artifacts.ArtifactHandler;
import io.proteus.core.internal.artifacts.FilePaths;
import io.proteus.core.internal.artifacts.FolderFiles;
import io.proteus.core.internal.artifacts.JettyServers;
import io.proteus.core.internal.artifacts.JobFiles;
import io.proteus.core.internal.artifacts.ListedFiles;
import io.proteus.core.internal.artifacts.LogStore;
import io.proteus.core.internal.artifacts.Registry;
import io.proteus.core.internal.artifacts.Tokens;
import io.proteus.model.JobId;
import io.proteus.spi.BuildFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's artifact server: an embedded HTTP server (Jetty 12) that serves each registered job's
 * build files to the workers that run its tasks, and takes their attempt logs. A job is reached
 * with its own random token; nothing outside a job's registered files is ever served. The
 * endpoints, status codes and limits are in docs/artifacts.md.
 *
 * <pre>{@code
 * try (ArtifactServer server = ArtifactServer.builder().logRoot(dir.resolve("logs")).build()) {
 *   server.start();
 *   ArtifactServer.Registration r = server.register(job, buildFolder);
 *   // send r.baseUrl(), r.token() and the manifest's digests with the dispatch
 * }
 * }</pre>
 *
 * <p>Thread-safe: register and unregister from any thread, while the server runs.
 */
public final class ArtifactServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ArtifactServer.class);

  private final ArtifactServerBuilder options;
  private final Registry registry;
  private final io.proteus.core.internal.artifacts.Stats stats =
      new io.proteus.core.internal.artifacts.Stats();
  private final Server jetty;
  private final @Nullable LogStore logs;
  private volatile boolean started;

  ArtifactServer(ArtifactServerBuilder b) {
    this.options = b;
    this.registry =
        new Registry(new JobFiles.ManifestLimits(b.maxManifestFiles, b.maxManifestBytes));
    Path logRoot = b.logRoot;
    this.logs = logRoot == null ? null : new LogStore(logRoot, b.maxLogBytes);
    this.jetty =
        JettyServers.create(
            new JettyServers.Settings(
                b.host,
                b.port,
                b.keyStore,
                b.keyPassword == null ? null : new String(b.keyPassword),
                b.maxThreads,
                b.maxConnections,
                b.idleTimeout),
            new ArtifactHandler(registry, logs, stats));
  }

  /** A builder with the defaults: loopback, any free port, plain HTTP, no log uploads. */
  public static ArtifactServerBuilder builder() {
    return new ArtifactServerBuilder();
  }

  /**
   * Starts listening. Idempotent.
   *
   * @throws ProteusException when the port cannot be bound or TLS cannot be set up
   */
  public synchronized void start() {
    if (started) {
      return;
    }
    try {
      jetty.start();
    } catch (Exception e) {
      throw new ProteusException(
          "the artifact server could not start on " + options.host + ":" + options.port, e);
    }
    started = true;
    log.info("artifact server listening on {}", base());
  }

  /** Stops listening and ends open connections (within 5 s). Idempotent. */
  @Override
  public synchronized void close() {
    if (!started) {
      return;
    }
    started = false;
    try {
      jetty.stop();
    } catch (Exception e) {
      log.warn("the artifact server did not stop cleanly: {}", e.toString());
    }
  }

  /** The port it listens on; only known once started. */
  public int port() {
    if (!started) {
      throw new IllegalStateException("the artifact server is not started");
    }
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  /** The server's root URL, such as {@code https://127.0.0.1:8443/}; only known once started. */
  public URI base() {
    String scheme = options.keyStore != null ? "https" : "http";
    String host = options.advertisedHost != null ? options.advertisedHost : options.host;
    String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create(scheme + "://" + h + ":" + port() + "/");
  }

  /**
   * Serves the files under {@code folder} for {@code job}, with a fresh token; a job registered
   * before gets a new token (the old one stops working) and new files.
   *
   * @throws IllegalArgumentException when the job id is not a slug of 1 to 200 characters from
   *     {@code A-Za-z0-9._-} (not starting with {@code .}), or the folder is not a folder
   * @throws IllegalStateException when the server is not started (its URL is not known yet)
   */
  public Registration register(JobId job, Path folder) {
    checkJob(job);
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException("not a folder (or a link): " + folder);
    }
    try {
      return put(job, new FolderFiles(job, folder));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve " + folder, e);
    }
  }

  /**
   * Serves the listed paths of {@code files} for {@code job}, with a fresh token. Only these paths
   * are served and listed in the manifest; each is read through {@link BuildFiles#open}, once first
   * to learn its size and digest.
   *
   * @throws IllegalArgumentException for a job id as {@link #register(JobId, Path)} says, or a path
   *     the server could not serve
   */
  public Registration register(JobId job, BuildFiles files, Collection<String> paths) {
    checkJob(job);
    return put(job, new ListedFiles(job, files, paths, options.maxManifestBytes));
  }

  /** Registers {@code files} for {@code job}, as the publisher does. */
  Registration put(JobId job, JobFiles files) {
    String token = Tokens.fresh();
    registry.put(job, token, files);
    log.debug("serving job {}", job);
    return new Registration(job, token, base().resolve("v1/jobs/" + job.value() + "/"));
  }

  /** Forgets {@code job}'s manifest: its listed files changed. */
  void filesChanged(JobId job) {
    registry.get(job).ifPresent(Registry.Registered::forgetManifest);
  }

  /** The longest file read to learn its digest. */
  long maxFileBytes() {
    return options.maxManifestBytes;
  }

  static void checkJob(JobId job) {
    if (!FilePaths.isJobId(job.value())) {
      throw new IllegalArgumentException(
          "a job id the artifact server can serve is 1 to 200 of A-Za-z0-9._- and starts with no"
              + " dot: "
              + job.value());
    }
  }

  /** Stops serving a job: its token stops working at once. Whether it was registered. */
  public boolean unregister(JobId job) {
    return registry.remove(job);
  }

  /**
   * A registered job's manifest: every file it serves with its size and SHA-256, made on the first
   * call and kept for the registration.
   *
   * @throws io.proteus.ArtifactException with {@code TOO_LARGE} when the files break the manifest
   *     limits
   */
  public Optional<Manifest> manifest(JobId job) {
    Optional<Registry.Registered> r = registry.get(job);
    if (r.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(r.get().manifest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the files of job " + job, e);
    }
  }

  /** Where an uploaded log of a task's attempt is, if one was uploaded. */
  public Optional<Path> log(JobId job, int task, int attempt) {
    LogStore store = logs;
    if (store == null) {
      return Optional.empty();
    }
    return store
        .where(job.value(), Integer.toString(task), Integer.toString(attempt))
        .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
  }

  /** The server's counters so far. */
  public Stats stats() {
    return new Stats(
        stats.requests.sum(),
        stats.filesServed.sum(),
        stats.bytesServed.sum(),
        stats.unauthorized.sum(),
        stats.notFound.sum(),
        stats.logsStored.sum());
  }

  /**
   * A job's registration: what a worker needs to fetch its files.
   *
   * @param job the job
   * @param token the job's bearer token: a secret, never logged ({@link #toString} hides it)
   * @param baseUrl the job's root, such as {@code https://core:8443/v1/jobs/<job>/}
   */
  public record Registration(JobId job, String token, URI baseUrl) {
    @Override
    public String toString() {
      return "Registration[job=" + job + ", token=<hidden>, baseUrl=" + baseUrl + "]";
    }
  }

  /**
   * The server's counters since it was made.
   *
   * @param requests requests that reached the server's handler
   * @param filesServed file bodies (whole or in part) whose sending began; counted before the first
   *     byte goes out, so a client that has read a body sees it counted
   * @param bytesServed file bytes whose sending began
   * @param unauthorized requests answered 401
   * @param notFound requests answered 404
   * @param logsStored logs stored
   */
  public record Stats(
      long requests,
      long filesServed,
      long bytesServed,
      long unauthorized,
      long notFound,
      long logsStored) {}
}
