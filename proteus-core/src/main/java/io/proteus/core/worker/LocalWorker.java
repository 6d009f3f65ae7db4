package io.proteus.core.worker;

import io.proteus.core.internal.agent.AgentRuntime;
import io.proteus.core.internal.agent.AgentSettings;
import io.proteus.core.internal.agent.AttemptRun;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.AbortRequest;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Host;
import io.proteus.spi.Platform;
import io.proteus.spi.Worker;
import io.proteus.spi.WorkerContext;
import io.proteus.spi.WorkerEvents;
import io.proteus.spi.transport.CoreMessage;
import io.proteus.spi.transport.FilesResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A worker agent in the core's own process: the agent runtime of {@code io.proteus.core.agent}
 * behind an in-process link. One task at a time, run through an engine its platform makes, in a
 * fresh private workspace per attempt under its work folder, deleted when the attempt ends; each
 * attempt's log is kept under {@code logs/}. It heartbeats on a virtual thread; it rejects a task
 * while it holds another, including an aborted one whose processes are not gone yet. Every attempt
 * it accepts is reported exactly once: completed, failed, or released.
 */
public final class LocalWorker implements Worker {
  private static final Duration RESEND = Duration.ofSeconds(30);
  private static final int MAX_UNACKNOWLEDGED = 1024;
  private static final Duration LEAVE_GRACE = Duration.ofSeconds(10);

  private final AgentSettings settings;
  private final Duration drainDeadline;
  private @Nullable AgentRuntime runtime;
  private @Nullable DirectLink link;

  private LocalWorker(Builder b) {
    this.drainDeadline = b.drainDeadline;
    this.settings =
        new AgentSettings(
            new WorkerDescriptor(
                b.id, b.pool, b.platform.name(), b.tags, Optional.ofNullable(b.topic)),
            b.platform,
            b.workRoot,
            b.heartbeatInterval,
            RESEND,
            new AttemptRun.Settings(b.maxLogBytes, b.keepWorkspaces),
            b.host,
            FilesResolver.NONE,
            Optional.empty(),
            MAX_UNACKNOWLEDGED,
            LEAVE_GRACE);
  }

  /** A builder for a worker with this id on this platform. */
  public static Builder builder(String id, Platform platform) {
    return new Builder(id, platform);
  }

  @Override
  public WorkerDescriptor descriptor() {
    return settings.descriptor();
  }

  @Override
  public void start(WorkerContext context) {
    DirectLink direct = new DirectLink(context.events());
    AgentSettings s = settings;
    AgentRuntime agent =
        new AgentRuntime(
            new AgentSettings(
                s.descriptor(),
                s.platform(),
                s.workRoot(),
                s.heartbeatInterval(),
                s.resendInterval(),
                s.attempts(),
                s.host(),
                direct,
                s.outbox(),
                s.maxUnacknowledged(),
                s.leaveGrace()),
            drainDeadline);
    synchronized (this) {
      this.runtime = agent;
      this.link = direct;
    }
    agent.start(direct);
  }

  @Override
  public void dispatch(DispatchRequest request) {
    DirectLink direct = started();
    direct.deliver(direct.dispatch(request));
  }

  /**
   * Aborts the attempt with this token. Its end is reported with {@link WorkerEvents#released} once
   * every process of it is gone; until then the worker rejects new tasks as busy. An abort for the
   * attempt that just ended is released at once.
   */
  @Override
  public void abort(AbortRequest request) {
    started().deliver(new CoreMessage.Abort(request.fencingToken(), request.reason()));
  }

  @Override
  public void stop() {
    AgentRuntime agent;
    synchronized (this) {
      agent = runtime;
    }
    if (agent != null) {
      agent.stop(false);
    }
  }

  private synchronized DirectLink started() {
    return Objects.requireNonNull(link, "worker not started");
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
    private Duration drainDeadline = AgentRuntime.DEFAULT_DRAIN_DEADLINE;

    private Builder(String id, Platform platform) {
      this.id = Objects.requireNonNull(id, "id");
      this.platform = Objects.requireNonNull(platform, "platform");
      this.workRoot = Path.of(System.getProperty("java.io.tmpdir"), "proteus-worker-" + id);
    }

    /**
     * The machine's owner: when it asks for shutdown, the worker drains: it tells the core, takes
     * no new task, lets the one it runs go on for up to the {@linkplain #drainDeadline(Duration)
     * drain deadline} (then the core hands it back to run elsewhere, not counted as a failure), and
     * leaves. Default: {@link Host#NONE}, which never asks.
     */
    public Builder host(Host value) {
      this.host = Objects.requireNonNull(value, "host");
      return this;
    }

    /**
     * How long its running attempt may still take once its host asks it to shut down. Default: 10
     * minutes.
     */
    public Builder drainDeadline(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("a drain deadline is not negative: " + value);
      }
      this.drainDeadline = value;
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
