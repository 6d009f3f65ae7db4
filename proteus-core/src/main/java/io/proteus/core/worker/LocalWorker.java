package io.proteus.core.worker;

import io.proteus.core.internal.agent.AttemptRun;
import io.proteus.model.TaskStatus;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.AbortRequest;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Engine;
import io.proteus.spi.EngineContext;
import io.proteus.spi.FailureKind;
import io.proteus.spi.Host;
import io.proteus.spi.Platform;
import io.proteus.spi.Worker;
import io.proteus.spi.WorkerContext;
import io.proteus.spi.WorkerEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker agent in the core's own process: one task at a time, run through an engine its platform
 * makes, in a fresh private workspace per attempt under its work folder, deleted when the attempt
 * ends; each attempt's log is kept under {@code logs/}. It heartbeats on a virtual thread; it
 * rejects a task while it holds another, including an aborted one whose processes are not gone yet.
 * Every attempt it accepts is reported exactly once: completed, failed, or released.
 */
public final class LocalWorker implements Worker {
  private static final Logger log = LoggerFactory.getLogger(LocalWorker.class);

  private final WorkerDescriptor descriptor;
  private final Platform platform;
  private final Path workRoot;
  private final Duration heartbeatInterval;
  private final AttemptRun.Settings settings;
  private final Object lock = new Object();
  private @Nullable WorkerEvents events;
  private @Nullable Engine engine;
  private @Nullable AttemptRun current;
  private long lastEnded = Long.MIN_VALUE;
  private @Nullable Thread heartbeat;
  private volatile boolean stopped;
  private final Host host;
  private boolean leaving;
  private boolean gone;

  private LocalWorker(Builder b) {
    this.descriptor =
        new WorkerDescriptor(b.id, b.pool, platformName(b), b.tags, Optional.ofNullable(b.topic));
    this.platform = b.platform;
    this.workRoot = b.workRoot;
    this.heartbeatInterval = b.heartbeatInterval;
    this.settings = new AttemptRun.Settings(b.maxLogBytes, b.keepWorkspaces);
    this.host = b.host;
  }

  private static String platformName(Builder b) {
    return b.platform.name();
  }

  /** A builder for a worker with this id on this platform. */
  public static Builder builder(String id, Platform platform) {
    return new Builder(id, platform);
  }

  @Override
  public WorkerDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public void start(WorkerContext context) {
    try {
      Files.createDirectories(workRoot);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create work folder " + workRoot, e);
    }
    WorkerEvents ev = context.events();
    synchronized (lock) {
      this.events = ev;
      this.engine = platform.newEngine(new EngineContext(descriptor.id(), workRoot));
    }
    heartbeat =
        Thread.ofVirtual()
            .name("proteus-heartbeat-" + descriptor.id())
            .start(() -> {
              while (!stopped) {
                try {
                  ev.heartbeat();
                } catch (RuntimeException e) {
                  log.warn("heartbeat of {} failed: {}", descriptor.id(), e.toString());
                }
                try {
                  Thread.sleep(heartbeatInterval);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    ev.ready();
    host.shutdownRequested().thenRun(this::hostWantsShutdown);
  }

  /**
   * The host wants this worker gone: it takes no new task, lets the one it runs finish, then tells
   * the core it is gone.
   */
  private void hostWantsShutdown() {
    boolean idle;
    synchronized (lock) {
      leaving = true;
      idle = current == null;
    }
    log.info("worker {}: its host asks it to shut down; it drains", descriptor.id());
    if (idle) {
      leave();
    }
  }

  private void leave() {
    WorkerEvents ev;
    synchronized (lock) {
      if (gone) {
        return;
      }
      gone = true;
      ev = events;
    }
    if (ev != null) {
      ev.lost("its host asked it to shut down");
    }
    stop();
  }

  @Override
  public void dispatch(DispatchRequest request) {
    WorkerEvents ev;
    Engine eng;
    AttemptRun run;
    synchronized (lock) {
      ev = Objects.requireNonNull(events, "worker not started");
      eng = Objects.requireNonNull(engine);
      if (stopped || leaving || current != null) {
        ev.failed(
            request.fencingToken(),
            FailureKind.REJECTED,
            stopped ? "worker stopped" : leaving ? "worker shutting down" : "worker busy");
        return;
      }
      run = new AttemptRun(request, workRoot, settings);
      current = run;
    }
    try {
      ev.accepted(request.fencingToken());
      Thread.ofVirtual().name("proteus-task-" + request.task()).start(() -> attempt(run, ev, eng));
    } catch (RuntimeException | Error e) {
      log.error("cannot start attempt {} of {}", request.attempt(), request.task(), e);
      finish(run, ev, null, e);
    }
  }

  /** Runs one attempt; whatever happens, clears it and reports it. */
  private void attempt(AttemptRun run, WorkerEvents ev, Engine eng) {
    long token = run.token();
    AttemptRun.Outcome outcome = null;
    Throwable failure = null;
    try {
      outcome =
          run.run(
              eng,
              () -> ev.progressed(token, TaskStatus.RUNNING),
              () -> ev.progressed(token, TaskStatus.UPLOADING));
    } catch (RuntimeException | Error e) {
      failure = e;
      log.error("attempt with token {} failed in the worker", token, e);
    } finally {
      finish(run, ev, outcome, failure);
    }
  }

  private void finish(
      AttemptRun run,
      WorkerEvents ev,
      AttemptRun.@Nullable Outcome outcome,
      @Nullable Throwable failure) {
    long token = run.token();
    boolean aborted;
    synchronized (lock) {
      if (current == run) {
        current = null;
      }
      lastEnded = token;
      aborted = run.abortRequested();
    }
    try {
      if (aborted) {
        ev.released(token, run.log());
      } else if (failure != null || outcome == null) {
        ev.failed(token, FailureKind.ENGINE_ERROR, "the worker failed: " + failure, run.log());
      } else {
        switch (outcome) {
          case AttemptRun.Outcome.Ran r -> ev.completed(token, r.report());
          case AttemptRun.Outcome.TimedOut t ->
              ev.failed(token, FailureKind.TIMEOUT, t.reason(), t.log());
          case AttemptRun.Outcome.Broken b -> ev.failed(token, b.failure(), b.log());
          case AttemptRun.Outcome.Aborted a ->
              ev.failed(token, FailureKind.ENGINE_ERROR, "the attempt was interrupted", a.log());
        }
      }
    } catch (RuntimeException e) {
      log.error("cannot report the end of the attempt with token {}", token, e);
    }
    boolean leaveNow;
    synchronized (lock) {
      leaveNow = leaving && current == null;
    }
    if (leaveNow) {
      leave();
    }
  }

  /**
   * Aborts the attempt with this token. Its end is reported with {@link WorkerEvents#released} once
   * every process of it is gone; until then the worker rejects new tasks as busy. An abort for the
   * attempt that just ended is released at once.
   */
  @Override
  public void abort(AbortRequest request) {
    long token = request.fencingToken();
    AttemptRun run;
    WorkerEvents ev;
    boolean release = false;
    synchronized (lock) {
      run = current;
      ev = events;
      if (run != null && run.token() == token) {
        run.markAborted();
      } else {
        run = null;
        release = ev != null && lastEnded == token;
      }
    }
    if (run != null) {
      run.abort();
    } else if (release && ev != null) {
      ev.released(token);
    } else {
      log.debug("abort for {} ignored: not the current attempt", token);
    }
  }

  @Override
  public void stop() {
    stopped = true;
    Thread hb = heartbeat;
    if (hb != null) {
      hb.interrupt();
    }
    AttemptRun run;
    Engine eng;
    synchronized (lock) {
      run = current;
      eng = engine;
      if (run != null) {
        run.markAborted();
      }
    }
    if (run != null) {
      run.abort();
    }
    if (eng != null) {
      eng.close();
    }
  }

  /** Configures a {@link LocalWorker}. */
  public static final class Builder {
    private final String id;
    private final Platform platform;
    private String pool = "default";
    private final Set<String> tags = new HashSet<>();
    private @Nullable String topic;
    private Path workRoot;
    private Duration heartbeatInterval = Duration.ofSeconds(10);
    private long maxLogBytes = AttemptRun.Settings.DEFAULT_MAX_LOG_BYTES;
    private boolean keepWorkspaces;
    private Host host = Host.NONE;

    private Builder(String id, Platform platform) {
      this.id = Objects.requireNonNull(id, "id");
      this.platform = Objects.requireNonNull(platform, "platform");
      this.workRoot = Path.of(System.getProperty("java.io.tmpdir"), "proteus-worker-" + id);
    }

    /**
     * The machine's owner: when it asks for shutdown, the worker takes no new task, finishes the
     * one it runs, and leaves. Default: {@link Host#NONE}, which never asks.
     */
    public Builder host(Host value) {
      this.host = Objects.requireNonNull(value, "host");
      return this;
    }

    /** The pool it joins. Default: {@code default}. */
    public Builder pool(String value) {
      this.pool = value;
      return this;
    }

    /** Adds capability tags. */
    public Builder tags(String... values) {
      tags.addAll(Set.of(values));
      return this;
    }

    /** Scopes it to a topic: it takes only that topic's work, and gets it first. */
    public Builder topic(String value) {
      this.topic = value;
      return this;
    }

    /**
     * The folder it owns: attempts' workspaces under {@code work/} and their logs under {@code
     * logs/}, both private to the owner. Default: a folder under the temp dir.
     */
    public Builder workRoot(Path value) {
      this.workRoot = value;
      return this;
    }

    /** How often it tells the core it is alive. Default: 10 s. */
    public Builder heartbeatInterval(Duration value) {
      this.heartbeatInterval = value;
      return this;
    }

    /**
     * The cap of each attempt's log, in bytes (at least 4096). Past it, the log keeps its head and
     * its last bytes (1 MiB, or a quarter of the cap if smaller) with a marker between. Default: 32
     * MiB.
     */
    public Builder maxLogBytes(long value) {
      new AttemptRun.Settings(value, false);
      this.maxLogBytes = value;
      return this;
    }

    /**
     * Whether each attempt's workspace stays after the attempt, for debugging. Default: false, so a
     * workspace is deleted when its attempt ends; its log stays under {@code logs/}.
     */
    public Builder keepWorkspaces(boolean value) {
      this.keepWorkspaces = value;
      return this;
    }

    /** Makes the worker. */
    public LocalWorker build() {
      return new LocalWorker(this);
    }
  }
}
