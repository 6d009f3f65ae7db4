package io.proteus.core.internal.agent;

import io.proteus.model.TaskStatus;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Engine;
import io.proteus.spi.EngineContext;
import io.proteus.spi.Failure;
import io.proteus.spi.FailureKind;
import io.proteus.spi.OutputSink;
import io.proteus.spi.transport.AgentLink;
import io.proteus.spi.transport.AgentLinkContext;
import io.proteus.spi.transport.AgentMessage;
import io.proteus.spi.transport.CoreMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one agent runtime behind every link, in process or across a transport: one attempt at a time
 * through an engine its platform makes, each in its own workspace ({@link AttemptRun}). It says
 * hello on each session with the attempts it holds, accepts with the attempt's token, and keeps
 * each attempt's end (completed, failed or released) in its {@link ResultOutbox} until the core
 * acknowledges it, sending it again on each new session and, while connected, after the resend
 * interval. A dispatch for an attempt it already took is a duplicate and changes nothing. It
 * rejects a task while it holds another, including an aborted one whose processes are not gone yet,
 * and while its outbox is full. Thread-safe.
 */
public final class AgentRuntime implements AgentLinkContext {
  private static final Logger log = LoggerFactory.getLogger(AgentRuntime.class);

  /** How many dispatched tokens it remembers, to know a duplicate dispatch. */
  static final int RECENT_TOKENS = 256;

  private final AgentSettings settings;
  private final String id;
  private final ResultOutbox outbox;
  private final Object lock = new Object();
  private final Set<Long> recent = new LinkedHashSet<>();
  private @Nullable AgentLink link;
  private @Nullable Engine engine;
  private @Nullable AttemptRun current;
  private CoreMessage.@Nullable Dispatch waiting;
  private final Map<Long, CoreMessage.Dispatch> inFlight = new ConcurrentHashMap<>();
  private final Map<Long, LiveBatcher> batchers = new ConcurrentHashMap<>();
  private long lastEnded = Long.MIN_VALUE;
  private @Nullable Thread heartbeat;
  private volatile boolean stopped;
  private final java.util.concurrent.atomic.AtomicBoolean stopCalled =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean connected;
  private boolean leaving;
  private boolean gone;
  private String leaveReason = "the agent stopped";
  private final Duration hostDrainDeadline;
  private final java.util.concurrent.CompletableFuture<Void> over =
      new java.util.concurrent.CompletableFuture<>();

  /**
   * How long the attempt it runs may still take when its host asks it to shut down, unless set: as
   * long as a test may run by default.
   */
  public static final Duration DEFAULT_DRAIN_DEADLINE = Duration.ofMinutes(10);

  /** A runtime with these settings, not started. */
  public AgentRuntime(AgentSettings settings) {
    this(settings, DEFAULT_DRAIN_DEADLINE);
  }

  /**
   * A runtime with these settings whose drain, when its host asks it to shut down, lets its attempt
   * run for {@code hostDrainDeadline}.
   */
  public AgentRuntime(AgentSettings settings, Duration hostDrainDeadline) {
    if (hostDrainDeadline.isNegative()) {
      throw new IllegalArgumentException("a drain deadline is not negative: " + hostDrainDeadline);
    }
    this.hostDrainDeadline = hostDrainDeadline;
    this.settings = settings;
    this.id = settings.descriptor().id();
    this.outbox =
        new ResultOutbox(settings.outbox(), settings.maxUnacknowledged(), System::nanoTime);
  }

  /** What the agent is and offers. */
  public WorkerDescriptor descriptor() {
    return settings.descriptor();
  }

  @Override
  public String agentId() {
    return id;
  }

  /** The tokens of the ends it keeps for the core, oldest first. */
  public Set<Long> unacknowledged() {
    return outbox.tokens();
  }

  /**
   * Makes its folder, reads back the ends a previous run kept, makes its engine and connects the
   * link; then heartbeats on a virtual thread and listens to its host.
   *
   * @throws UncheckedIOException when its folder or its outbox cannot be made or read
   * @throws IllegalStateException when it was started before
   */
  public void start(AgentLink newLink) {
    try {
      Files.createDirectories(settings.workRoot());
      outbox.load();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create work folder " + settings.workRoot(), e);
    }
    Engine eng = settings.platform().newEngine(new EngineContext(id, settings.workRoot()));
    synchronized (lock) {
      if (link != null) {
        throw new IllegalStateException("agent " + id + " was started before");
      }
      link = newLink;
      engine = eng;
    }
    newLink.connect(this);
    heartbeat = Thread.ofVirtual().name("proteus-heartbeat-" + id).start(this::beat);
    settings.host().shutdownRequested().thenRun(this::hostWantsShutdown);
  }

  private void beat() {
    while (!stopped) {
      if (connected) {
        send(new AgentMessage.Heartbeat());
        outbox.due(settings.resendInterval()).forEach(this::send);
      }
      try {
        Thread.sleep(settings.heartbeatInterval());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void connected() {
    if (stopped) {
      return;
    }
    Set<Long> held = new TreeSet<>(outbox.tokens());
    synchronized (lock) {
      if (current != null) {
        held.add(current.token());
      }
    }
    String session = UUID.randomUUID().toString();
    send(
        new AgentMessage.Hello(
            settings.descriptor(), session, held, AgentMessage.Hello.PROTOCOL_VERSION));
    outbox.all().forEach(this::send);
    connected = true;
  }

  @Override
  public void disconnected(String reason) {
    connected = false;
    log.info("agent {} lost its session with the core: {}", id, reason);
  }

  @Override
  public void received(CoreMessage message) {
    try {
      switch (message) {
        case CoreMessage.Dispatch d -> dispatch(d);
        case CoreMessage.Abort a -> abort(a.token(), a.reason());
        case CoreMessage.ResultAck r -> outbox.remove(r.token());
        case CoreMessage.Rejoin r -> {
          log.info("agent {}: the core asks it to say hello again: {}", id, r.reason());
          connected();
        }
      }
    } catch (RuntimeException e) {
      log.error("agent {} failed to handle {}", id, message.getClass().getSimpleName(), e);
    }
  }

  private void dispatch(CoreMessage.Dispatch d) {
    long token = d.token();
    String refusal;
    boolean running = false;
    AttemptRun run = null;
    Engine eng;
    Optional<AgentMessage> kept = outbox.end(token);
    synchronized (lock) {
      eng = engine;
      boolean duplicate =
          recent.contains(token)
              || kept.isPresent()
              || (waiting != null && waiting.token() == token);
      running = duplicate && current != null && current.token() == token;
      if (!duplicate && waiting == null && current != null && current.abortRequested()) {
        log.debug("agent {}: attempt {} waits for an aborted attempt to end", id, token);
        waiting = d;
        return;
      }
      refusal = duplicate ? null : refusal(eng);
      if (!duplicate && refusal == null) {
        remember(token);
        run = new AttemptRun(request(d), settings.workRoot(), settings.attempts(), live(token));
        current = run;
        inFlight.put(token, d);
      }
    }
    if (refusal != null) {
      send(
          new AgentMessage.Failed(
              token, Failure.of(FailureKind.REJECTED, refusal), Optional.empty()));
      return;
    }
    if (run == null || eng == null) {
      log.debug("agent {}: duplicate dispatch of attempt {}", id, token);
      if (running) {
        send(new AgentMessage.Accepted(token));
      }
      kept.ifPresent(this::send);
      return;
    }
    AttemptRun started = run;
    try {
      send(new AgentMessage.Accepted(token));
      Thread.ofVirtual().name("proteus-task-" + d.task()).start(() -> attempt(started, eng));
    } catch (RuntimeException | Error e) {
      log.error("cannot start attempt {} of {}", d.attempt(), d.task(), e);
      finish(started, null, e);
    }
  }

  /** Why it cannot take a task now, if it cannot. Holds the lock. */
  private @Nullable String refusal(@Nullable Engine eng) {
    if (stopped) {
      return "worker stopped";
    }
    if (leaving) {
      return "worker shutting down";
    }
    if (current != null) {
      return "worker busy";
    }
    if (eng == null) {
      return "worker not started";
    }
    if (outbox.full()) {
      return "its outbox is full: "
          + settings.maxUnacknowledged()
          + " attempt ends wait for the core";
    }
    return null;
  }

  private DispatchRequest request(CoreMessage.Dispatch d) {
    BuildFiles files;
    try {
      files = settings.files().resolve(d.files());
    } catch (RuntimeException e) {
      String why = "cannot reach the build's files at " + d.files().location() + ": " + e;
      files =
          path -> {
            throw new IOException(why);
          };
    }
    return new DispatchRequest(
        d.task(), d.attempt(), d.token(), d.test(), d.platform(), files, d.timeout());
  }

  private void remember(long token) {
    recent.add(token);
    if (recent.size() > RECENT_TOKENS) {
      recent.remove(recent.iterator().next());
    }
  }

  /** Runs one attempt; whatever happens, clears it and reports its end. */
  private void attempt(AttemptRun run, Engine eng) {
    long token = run.token();
    AttemptRun.Outcome outcome = null;
    Throwable failure = null;
    try {
      outcome =
          run.run(
              eng,
              () -> send(new AgentMessage.Progressed(token, TaskStatus.RUNNING)),
              () -> send(new AgentMessage.Progressed(token, TaskStatus.UPLOADING)));
    } catch (RuntimeException | Error e) {
      failure = e;
      log.error("attempt with token {} failed in the worker", token, e);
    } finally {
      finish(run, outcome, failure);
    }
  }

  private void finish(
      AttemptRun run, AttemptRun.@Nullable Outcome outcome, @Nullable Throwable failure) {
    long token = run.token();
    boolean aborted;
    CoreMessage.Dispatch next = null;
    synchronized (lock) {
      if (current == run) {
        current = null;
        next = waiting;
        waiting = null;
        lock.notifyAll();
      }
      lastEnded = token;
      aborted = run.abortRequested();
    }
    AgentMessage end = AttemptEnds.of(run, aborted, outcome, failure);
    LiveBatcher batcher = batchers.remove(token);
    if (batcher != null) {
      batcher.close();
    }
    CoreMessage.Dispatch dispatched = inFlight.remove(token);
    if (dispatched != null) {
      keepLog(dispatched, run.log());
    }
    try {
      outbox.put(end);
    } catch (IOException | RuntimeException e) {
      log.error(
          "agent {} cannot keep the end of attempt {} on disk; it stays in memory", id, token, e);
    }
    send(end);
    run.removeWorkspace();
    if (next != null) {
      dispatch(next);
    }
    boolean leaveNow;
    synchronized (lock) {
      leaveNow = leaving && current == null;
    }
    if (leaveNow) {
      leave();
    }
  }

  private OutputSink live(long token) {
    LiveBatcher b = new LiveBatcher(token, this::send);
    batchers.put(token, b);
    return b;
  }

  private void keepLog(CoreMessage.Dispatch d, Optional<String> logFile) {
    if (logFile.isEmpty() || d.files().isUnpublished()) {
      return;
    }
    try {
      settings.files().keepLog(d.files(), d.task(), d.attempt(), Path.of(logFile.get()));
    } catch (IOException | RuntimeException e) {
      log.warn(
          "agent {} could not hand the log of attempt {} of {} to the core: {}",
          id,
          d.attempt(),
          d.task(),
          e.toString());
    }
  }

  private void abort(long token, String reason) {
    AttemptRun run;
    boolean release = false;
    synchronized (lock) {
      run = current;
      if (waiting != null && waiting.token() == token) {
        waiting = null;
        run = null;
        release = true;
      } else if (run != null && run.token() == token) {
        run.markAborted();
      } else {
        run = null;
        release = lastEnded == token;
      }
    }
    if (run != null) {
      log.info("agent {}: aborting attempt {}: {}", id, token, reason);
      run.abort();
    } else if (release) {
      send(new AgentMessage.Released(token, Optional.empty()));
    } else {
      log.debug("agent {}: abort for {} ignored: not the current attempt", id, token);
    }
  }

  private void hostWantsShutdown() {
    drain(hostDrainDeadline, "its host asked it to shut down");
  }

  /**
   * Drains: tells the core, takes no new task, lets the one it runs go on for up to {@code
   * deadline} (then the core hands it back and aborts it; should the core not, the agent aborts it
   * itself after the leave grace more, and keeps its end), waits up to the leave grace for the core
   * to acknowledge its ends, then says goodbye and stops. Calling it again changes nothing; {@link
   * #stop(boolean)} still stops at once.
   */
  public void drain(Duration deadline, String reason) {
    boolean idle;
    synchronized (lock) {
      if (leaving || stopped) {
        return;
      }
      leaving = true;
      leaveReason = reason;
      idle = current == null;
    }
    log.info("worker {} drains ({}): its attempt may take up to {}", id, reason, deadline);
    send(new AgentMessage.Draining(deadline, reason));
    if (idle) {
      Thread.ofVirtual().name("proteus-leave-" + id).start(this::leave);
    } else {
      Thread.ofVirtual()
          .name("proteus-drain-" + id)
          .start(() -> abortAfter(plus(deadline, settings.leaveGrace())));
    }
  }

  /** Completes once it has stopped: its engine and link are closed. */
  public java.util.concurrent.CompletableFuture<Void> over() {
    return over.copy();
  }

  /** Whether it drains or stopped. */
  public boolean leaving() {
    synchronized (lock) {
      return leaving || stopped;
    }
  }

  private static Duration plus(Duration a, Duration b) {
    try {
      return a.plus(b);
    } catch (ArithmeticException e) {
      return Duration.ofSeconds(Long.MAX_VALUE);
    }
  }

  private void abortAfter(Duration wait) {
    long end = System.nanoTime() + Math.min(wait.toNanos(), Long.MAX_VALUE / 2);
    AttemptRun run;
    synchronized (lock) {
      try {
        while (current != null && !stopped) {
          long left = end - System.nanoTime();
          if (left <= 0) {
            break;
          }
          java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
        }
      } catch (InterruptedException e) {
        return;
      }
      run = current;
      if (run == null || stopped) {
        return;
      }
      run.markAborted();
    }
    log.warn("worker {}: the core did not take back attempt {}; it is aborted", id, run.token());
    run.abort();
  }

  private void leave() {
    synchronized (lock) {
      if (gone) {
        return;
      }
      gone = true;
    }
    try {
      if (!outbox.awaitEmpty(settings.leaveGrace())) {
        log.warn(
            "agent {} leaves with attempt ends the core has not acknowledged: {}",
            id,
            outbox.tokens());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String why;
    synchronized (lock) {
      why = leaveReason;
    }
    send(new AgentMessage.Bye(why));
    stop(false);
  }

  /**
   * Stops: aborts the attempt it runs (its end is kept for the core); when {@code bye}, waits up to
   * the leave grace for that end and then says goodbye to the core; closes the engine and the link.
   * Idempotent.
   */
  public void stop(boolean bye) {
    if (!stopCalled.compareAndSet(false, true)) {
      return;
    }
    stopped = true;
    Thread hb = heartbeat;
    if (hb != null) {
      hb.interrupt();
    }
    AttemptRun run;
    Engine eng;
    AgentLink l;
    synchronized (lock) {
      run = current;
      eng = engine;
      l = link;
      if (run != null) {
        run.markAborted();
      }
    }
    if (run != null) {
      run.abort();
      if (bye) {
        awaitEnd(run);
      }
    }
    if (bye) {
      send(new AgentMessage.Bye("the agent stopped"));
    }
    if (eng != null) {
      eng.close();
    }
    if (l != null) {
      l.close();
    }
    over.complete(null);
  }

  /** Waits, up to the leave grace, for an aborted run to end and its end to be kept and sent. */
  private void awaitEnd(AttemptRun run) {
    long end = System.nanoTime() + settings.leaveGrace().toNanos();
    synchronized (lock) {
      try {
        while (current == run) {
          long left = end - System.nanoTime();
          if (left <= 0) {
            log.warn("agent {} stops before its aborted attempt {} ended", id, run.token());
            return;
          }
          java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void send(AgentMessage message) {
    AgentLink l = link;
    if (l == null) {
      return;
    }
    try {
      l.send(message);
    } catch (RuntimeException e) {
      log.warn(
          "agent {} could not send {}: {}", id, message.getClass().getSimpleName(), e.toString());
    }
  }
}
