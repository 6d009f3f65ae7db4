package io.proteus.core.agent;

import io.proteus.core.internal.agent.AgentRuntime;
import io.proteus.core.internal.agent.AgentSettings;
import io.proteus.core.internal.agent.AttemptRun;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.Host;
import io.proteus.spi.Platform;
import io.proteus.spi.transport.AgentLink;
import io.proteus.spi.transport.FilesResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A worker agent in its own process, linked to a core by a transport's {@link AgentLink}: it takes
 * one task at a time, stages the build's files (fetched through its {@link FilesResolver}) into a
 * private workspace, runs the task through an engine its platform makes, and reports. Each
 * attempt's end is written to its outbox folder before it is sent and kept there until the core
 * acknowledges it, so a result survives a core, broker or agent restart; on each new session the
 * agent says hello with the attempts it holds and sends the kept ends again. A dispatch that comes
 * while the attempt it replaces is still being aborted (a stale attempt the core aborted on a new
 * session) waits for that attempt's end instead of being refused; one dispatch waits at most. The
 * core's own {@code LocalWorker} is this runtime behind an in-process link.
 *
 * <pre>{@code
 * Agent agent =
 *     Agent.builder("lab-7", new ProcessPlatform("linux", cacheDir))
 *         .pool("lab")
 *         .workRoot(Path.of("/var/lib/proteus/lab-7"))
 *         .files(fetcher)
 *         .build();
 * agent.start(transportLink);
 * }</pre>
 */
public final class Agent implements AutoCloseable {
  private final AgentRuntime runtime;

  private Agent(AgentRuntime runtime) {
    this.runtime = runtime;
  }

  /** A builder for an agent with this id on this platform. */
  public static Builder builder(String id, Platform platform) {
    return new Builder(id, platform);
  }

  /** What the agent is and offers, as it says hello. */
  public WorkerDescriptor descriptor() {
    return runtime.descriptor();
  }

  /**
   * Makes its folders, reads back the ends a previous run kept, makes its engine and connects
   * {@code link}; it says hello as soon as the link has a session. Called once.
   *
   * @throws java.io.UncheckedIOException when its folders cannot be made or read
   * @throws IllegalStateException when it was started before
   */
  public void start(AgentLink link) {
    runtime.start(Objects.requireNonNull(link, "link"));
  }

  /** The fencing tokens of the attempt ends it keeps until the core acknowledges them. */
  public Set<Long> unacknowledged() {
    return runtime.unacknowledged();
  }

  /**
   * Leaves: tells the core it is gone, aborts the attempt it runs (whose end stays in the outbox
   * for the next start), closes its engine and its link. Idempotent.
   */
  public void stop() {
    runtime.stop(true);
  }

  /**
   * Drains: tells the core, takes no new task, lets the attempt it runs go on for up to {@code
   * deadline} (after which the core hands it back to run elsewhere, not counted as a failure, and
   * aborts it here), waits up to the leave grace for the core to acknowledge its ends, says goodbye
   * and stops. {@link #stop()} during a drain stops at once; the core hands back what it ran.
   *
   * @return completes once the agent has stopped
   */
  public java.util.concurrent.CompletableFuture<Void> drain(Duration deadline) {
    runtime.drain(Objects.requireNonNull(deadline, "deadline"), "the agent was told to drain");
    return runtime.over();
  }

  /** The same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** Configures an {@link Agent}; {@link #build()} checks every setting. */
  public static final class Builder {
    private final String id;
    private final Platform platform;
    private String pool = "default";
    private final Set<String> tags = new HashSet<>();
    private @Nullable String topic;
    private Path workRoot;
    private @Nullable Path outbox;
    private boolean outboxInMemory;
    private Duration heartbeatInterval = Duration.ofSeconds(10);
    private Duration resendInterval = Duration.ofSeconds(30);
    private long maxLogBytes = AttemptRun.Settings.DEFAULT_MAX_LOG_BYTES;
    private boolean keepWorkspaces;
    private Host host = Host.NONE;
    private FilesResolver files = FilesResolver.NONE;
    private int maxUnacknowledged = 1024;
    private Duration leaveGrace = Duration.ofSeconds(10);
    private Duration drainDeadline = AgentRuntime.DEFAULT_DRAIN_DEADLINE;

    private Builder(String id, Platform platform) {
      this.id = Objects.requireNonNull(id, "id");
      this.platform = Objects.requireNonNull(platform, "platform");
      this.workRoot = Path.of(System.getProperty("java.io.tmpdir"), "proteus-agent-" + id);
    }

    /** The pool it joins. Default: {@code default}. */
    public Builder pool(String value) {
      this.pool = Objects.requireNonNull(value, "pool");
      return this;
    }

    /** Adds capability tags. */
    public Builder tags(String... values) {
      tags.addAll(Set.of(values));
      return this;
    }

    /** Scopes it to a topic: it takes only that topic's work, and gets it first. */
    public Builder topic(String value) {
      this.topic = Objects.requireNonNull(value, "topic");
      return this;
    }

    /**
     * The folder it owns: workspaces under {@code work/}, logs under {@code logs/}, kept attempt
     * ends under {@code outbox/} unless set apart. Default: a folder under the temp dir.
     */
    public Builder workRoot(Path value) {
      this.workRoot = Objects.requireNonNull(value, "workRoot");
      return this;
    }

    /** Where attempt ends wait for the core's acknowledgement. Default: {@code outbox/}. */
    public Builder outbox(Path value) {
      this.outbox = Objects.requireNonNull(value, "outbox");
      this.outboxInMemory = false;
      return this;
    }

    /**
     * Keeps attempt ends in memory only, for an agent whose results cannot outlive its core anyway
     * (one in the core's own process). Default: on disk.
     */
    public Builder outboxInMemory() {
      this.outboxInMemory = true;
      return this;
    }

    /**
     * How many attempt ends it keeps at most; while that many wait for the core, it rejects new
     * tasks. Default: 1024.
     */
    public Builder maxUnacknowledged(int value) {
      this.maxUnacknowledged = value;
      return this;
    }

    /** How often it tells the core it is alive. Default: 10 s. */
    public Builder heartbeatInterval(Duration value) {
      this.heartbeatInterval = Objects.requireNonNull(value, "heartbeatInterval");
      return this;
    }

    /**
     * How long an attempt's end waits for the core's acknowledgement before it is sent again while
     * connected (it is always sent again on a new session). Default: 30 s.
     */
    public Builder resendInterval(Duration value) {
      this.resendInterval = Objects.requireNonNull(value, "resendInterval");
      return this;
    }

    /**
     * How long a leaving agent waits for the core to acknowledge its last ends before it says
     * goodbye. Default: 10 s.
     */
    public Builder leaveGrace(Duration value) {
      this.leaveGrace = Objects.requireNonNull(value, "leaveGrace");
      return this;
    }

    /** The cap of each attempt's log, in bytes (at least 4096). Default: 32 MiB. */
    public Builder maxLogBytes(long value) {
      new AttemptRun.Settings(value, false);
      this.maxLogBytes = value;
      return this;
    }

    /** Whether each attempt's workspace stays after it, for debugging. Default: false. */
    public Builder keepWorkspaces(boolean value) {
      this.keepWorkspaces = value;
      return this;
    }

    /**
     * The machine's owner: when it asks for shutdown, the agent drains with the {@linkplain
     * #drainDeadline(Duration) drain deadline}, as {@link Agent#drain(Duration)}. Default: {@link
     * Host#NONE}.
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
        throw new IllegalArgumentException("drainDeadline must not be negative: " + value);
      }
      this.drainDeadline = value;
      return this;
    }

    /** How it fetches a dispatch's build files. Default: {@link FilesResolver#NONE}. */
    public Builder files(FilesResolver value) {
      this.files = Objects.requireNonNull(value, "files");
      return this;
    }

    /**
     * Makes the agent.
     *
     * @throws IllegalArgumentException when a setting is out of range, naming it
     */
    public Agent build() {
      WorkerDescriptor d =
          new WorkerDescriptor(id, pool, platform.name(), tags, Optional.ofNullable(topic));
      Optional<Path> folder =
          outboxInMemory
              ? Optional.empty()
              : Optional.of(outbox != null ? outbox : workRoot.resolve("outbox"));
      return new Agent(
          new AgentRuntime(
              new AgentSettings(
                  d,
                  platform,
                  workRoot,
                  heartbeatInterval,
                  resendInterval,
                  new AttemptRun.Settings(maxLogBytes, keepWorkspaces),
                  host,
                  files,
                  folder,
                  maxUnacknowledged,
                  leaveGrace),
              drainDeadline));
    }
  }
}
