package io.proteus.docker;

import com.github.dockerjava.api.DockerClient;
import io.proteus.EngineException;
import io.proteus.core.archive.ArchiveLimits;
import io.proteus.docker.internal.Cancels;
import io.proteus.docker.internal.ContainerRun;
import io.proteus.docker.internal.Daemon;
import io.proteus.docker.internal.EngineParts;
import io.proteus.docker.internal.EngineSettings;
import io.proteus.docker.internal.Errors;
import io.proteus.docker.internal.Labels;
import io.proteus.docker.internal.LineSplitter;
import io.proteus.docker.internal.Reaper;
import io.proteus.docker.internal.TaskLaunch;
import io.proteus.spi.Engine;
import io.proteus.spi.ExecSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each task in its own container through the Docker Engine API (never the {@code docker}
 * command). The workspace is mounted at its own path as the working directory; everything else is
 * hardened: no privileges, every capability dropped, no new privileges, a read-only root with a
 * writable {@code /tmp}, no network unless the task asks and the policy allows, and memory, CPU,
 * process and time limits. Containers are labelled; a new engine removes what an earlier, crashed
 * process on this machine left behind. Every failure comes out as an {@link EngineException}, and
 * every exit completes. Thread-safe.
 */
public final class DockerEngine implements Engine {
  private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);

  private final EngineParts parts;
  private final Set<ContainerRun> running = ConcurrentHashMap.newKeySet();
  private final Cancels starting = new Cancels();

  private DockerEngine(EngineParts parts) {
    this.parts = parts;
  }

  /** A builder for an engine under {@code policy}. */
  public static Builder builder(DockerPolicy policy) {
    return new Builder(policy);
  }

  /**
   * Connects to the daemon at {@code DOCKER_HOST} (or the default socket), checks it answers, and
   * removes what crashed engines on this machine left behind.
   *
   * @throws EngineException when no daemon answers
   */
  public static DockerEngine connect(DockerPolicy policy) {
    return builder(policy).connect();
  }

  /**
   * As {@link #connect(DockerPolicy)}, to a daemon at {@code dockerHost} (such as {@code
   * unix:///var/run/docker.sock}).
   */
  public static DockerEngine connect(DockerPolicy policy, Optional<String> dockerHost) {
    return builder(policy).dockerHost(dockerHost).connect();
  }

  /**
   * As {@link #connect(DockerPolicy, Optional)}, with cache folders that tasks can mount; without
   * them a task that asks for a cache is refused.
   */
  public static DockerEngine connect(
      DockerPolicy policy, Optional<String> dockerHost, Optional<DockerCaches> caches) {
    return builder(policy).dockerHost(dockerHost).caches(caches).connect();
  }

  /** As above, with proxy hooks every task can call on its private network. */
  public static DockerEngine connect(
      DockerPolicy policy,
      Optional<String> dockerHost,
      Optional<DockerCaches> caches,
      List<ProxyHook> hooks) {
    return builder(policy).dockerHost(dockerHost).caches(caches).hooks(hooks).connect();
  }

  /**
   * A client for the daemon, checked with a ping, for tools and tests that talk to it directly.
   *
   * @throws EngineException when no daemon answers
   */
  static DockerClient client(Optional<String> dockerHost) {
    Daemon d = Daemon.connect(dockerHost, Duration.ofMinutes(2));
    try {
      d.calls().close();
    } catch (java.io.IOException e) {
      log.debug("cannot close a client: {}", e.getMessage());
    }
    return d.streams();
  }

  /** Whether a Docker daemon answers at {@code DOCKER_HOST} or the default socket. */
  public static boolean available() {
    try {
      Daemon.connect(Optional.empty(), Duration.ofSeconds(10)).close();
      return true;
    } catch (EngineException e) {
      return false;
    }
  }

  /**
   * Removes containers, networks, volumes and built images made by engines whose process is
   * provably gone; returns how many.
   *
   * @throws EngineException when the daemon cannot be asked
   */
  public int removeLeftovers() {
    try {
      return Reaper.removeLeftovers(parts.daemon());
    } catch (EngineException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new EngineException(
          "cannot look for leftovers on the Docker daemon at "
              + parts.daemon().host()
              + ": "
              + Errors.describe(e),
          e);
    }
  }

  /**
   * Starts a task's container.
   *
   * @throws EngineException when the policy refuses the task or anything on the way fails; what was
   *     taken for it is released first
   */
  @Override
  public DockerExec start(ExecSpec spec) {
    return TaskLaunch.launch(parts, spec, List.of(starting), running::add, running::remove);
  }

  /** As {@link #start(ExecSpec)}; an image build on the way can also be stopped by {@code view}. */
  DockerExec start(ExecSpec spec, Cancels view) {
    return TaskLaunch.launch(parts, spec, List.of(starting, view), running::add, running::remove);
  }

  /** The client, for the platform's cache volumes and the tests. */
  DockerClient client() {
    return parts.daemon().streams();
  }

  /**
   * Stops image builds in progress, aborts every running task and waits (up to the kill timeout and
   * a minute) until their containers are gone.
   */
  @Override
  public void close() {
    starting.cancelAll("the engine is closing");
    List<CompletableFuture<?>> ends = new ArrayList<>();
    for (ContainerRun run : running) {
      run.abort();
      ends.add(run.exit().toCompletableFuture());
    }
    try {
      CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new))
          .get(
              EngineSettings.millis(parts.settings().killTimeout().plusMinutes(1)),
              TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log.warn("{} task containers did not end before the engine closed", running.size());
    }
  }

  /** Builds and connects a {@link DockerEngine}. */
  public static final class Builder {
    private final DockerPolicy policy;
    private Optional<String> dockerHost = Optional.empty();
    private Optional<DockerCaches> caches = Optional.empty();
    private final List<ProxyHook> hooks = new ArrayList<>();
    private int maxLineBytes = LineSplitter.DEFAULT_MAX_LINE_BYTES;
    private ArchiveLimits archiveLimits = ArchiveLimits.DEFAULT;
    private Duration killTimeout = Duration.ofMinutes(2);
    private Duration callTimeout = Duration.ofMinutes(2);

    private Builder(DockerPolicy policy) {
      this.policy = policy;
    }

    /**
     * The daemon's address, such as {@code unix:///var/run/docker.sock}; default {@code
     * DOCKER_HOST}.
     */
    public Builder dockerHost(Optional<String> host) {
      this.dockerHost = host;
      return this;
    }

    /** The cache folders tasks may mount; without them a task that asks for a cache is refused. */
    public Builder caches(Optional<DockerCaches> value) {
      this.caches = value;
      return this;
    }

    /** Proxy hooks every task can call on its private network. */
    public Builder hooks(List<ProxyHook> value) {
      hooks.addAll(value);
      return this;
    }

    /**
     * The longest output line kept whole (default 64 KiB): the rest of a longer line is dropped,
     * and the line ends with a marker that says how many bytes were.
     */
    public Builder maxLineBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("the line cap must be positive: " + bytes);
      }
      this.maxLineBytes = bytes;
      return this;
    }

    /**
     * The limits of copies out of containers ({@link DockerExec#archive(String,
     * java.nio.file.Path)}) and of build contexts; default {@link ArchiveLimits#DEFAULT}.
     */
    public Builder archiveLimits(ArchiveLimits limits) {
      this.archiveLimits = limits;
      return this;
    }

    /**
     * How long the engine keeps trying to kill and remove the container of a task that ended, timed
     * out or was aborted (default 2 minutes). A task's exit completes once its container is
     * confirmed dead, or, when the daemon cannot confirm it, after this long.
     */
    public Builder killTimeout(Duration value) {
      this.killTimeout = value;
      return this;
    }

    /** How long a short request to the daemon (inspect, create, kill, remove) may take. */
    public Builder callTimeout(Duration value) {
      this.callTimeout = value;
      return this;
    }

    /**
     * Connects, checks the daemon answers, and removes what crashed engines left behind.
     *
     * @throws EngineException when no daemon answers
     */
    public DockerEngine connect() {
      EngineSettings settings =
          new EngineSettings(maxLineBytes, archiveLimits, killTimeout, callTimeout);
      Daemon daemon = Daemon.connect(dockerHost, callTimeout);
      DockerEngine engine =
          new DockerEngine(
              new EngineParts(daemon, policy, caches, hooks, settings, Labels.owner()));
      try {
        int removed = engine.removeLeftovers();
        if (removed > 0) {
          log.info("removed {} things crashed engines left behind", removed);
        }
      } catch (EngineException e) {
        daemon.close();
        throw e;
      }
      return engine;
    }
  }
}
