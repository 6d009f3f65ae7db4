package io.proteus.testkit;

import io.proteus.model.TaskStatus;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.AbortRequest;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.FailureKind;
import io.proteus.spi.Worker;
import io.proteus.spi.WorkerContext;
import io.proteus.spi.WorkerEvents;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A fake worker that does what its script says, on a {@link FakeScheduler}: pass, fail, hang, die,
 * reject, break. Scripts are per test name; a test's behaviors are used in order and the last one
 * repeats. It records every dispatch and abort it got, and heartbeats whenever the environment
 * advances, unless it is dead or told to go silent.
 */
public final class ScriptedWorker implements Worker {
  private final WorkerDescriptor descriptor;
  private final Map<String, Deque<Behavior>> script = new HashMap<>();
  private Behavior fallback = Behavior.pass();
  private @Nullable FakeScheduler scheduler;
  private @Nullable WorkerEvents events;
  private final List<DispatchRequest> dispatched = new ArrayList<>();
  private final List<AbortRequest> aborts = new ArrayList<>();
  private @Nullable DispatchRequest current;
  private boolean alive = true;
  private boolean silent;
  private @Nullable Duration abortTakes = Duration.ZERO;

  /** A worker with this description. */
  public ScriptedWorker(WorkerDescriptor descriptor) {
    this.descriptor = descriptor;
  }

  /** A generic worker in {@code pool} on {@code platform}. */
  public static ScriptedWorker of(String id, String pool, String platform) {
    return new ScriptedWorker(WorkerDescriptor.of(id, pool, platform));
  }

  /** A worker with tags and an optional topic. */
  public static ScriptedWorker of(
      String id, String pool, String platform, Set<String> tags, @Nullable String topic) {
    return new ScriptedWorker(
        new WorkerDescriptor(id, pool, platform, tags, Optional.ofNullable(topic)));
  }

  /** Scripts what this worker does with the test named {@code test}, in order; the last repeats. */
  public synchronized ScriptedWorker on(String test, Behavior... behaviors) {
    script.put(test, new ArrayDeque<>(List.of(behaviors)));
    return this;
  }

  /** What it does with tests that have no script. Default: pass after one second. */
  public synchronized ScriptedWorker otherwise(Behavior behavior) {
    this.fallback = behavior;
    return this;
  }

  /**
   * How long an aborted attempt's processes take to die before the worker says the attempt is over
   * ({@code WorkerEvents.released}); {@code null} for a worker that never says so, as an older
   * worker would not. Default: at once.
   */
  public synchronized ScriptedWorker abortTakes(@Nullable Duration value) {
    this.abortTakes = value;
    return this;
  }

  /**
   * Drives this worker's replies from {@code fakeScheduler}; the test environment does it for its
   * workers.
   */
  public void useScheduler(FakeScheduler fakeScheduler) {
    this.scheduler = fakeScheduler;
  }

  @Override
  public WorkerDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public synchronized void start(WorkerContext context) {
    Objects.requireNonNull(
        scheduler, "call useScheduler first, or add the worker through ProteusTestEnvironment");
    this.events = context.events();
    events.ready();
  }

  @Override
  public synchronized void dispatch(DispatchRequest request) {
    dispatched.add(request);
    WorkerEvents ev = Objects.requireNonNull(events);
    FakeScheduler s = Objects.requireNonNull(scheduler);
    long token = request.fencingToken();
    Behavior b = next(request.test().name());
    if (b instanceof Behavior.Reject r) {
      ev.failed(token, FailureKind.REJECTED, r.reason());
      return;
    }
    current = request;
    ev.accepted(token);
    ev.progressed(token, TaskStatus.RUNNING);
    switch (b) {
      case Behavior.Complete c ->
          s.schedule(
              c.duration(),
              () ->
                  finish(
                      request,
                      () -> {
                        ev.progressed(token, TaskStatus.UPLOADING);
                        ev.completed(
                            token,
                            new AttemptReport(
                                c.exitCode(), c.cases(), Optional.empty(), c.duration()));
                      }));
      case Behavior.Hang h -> {}
      case Behavior.Die d ->
          s.schedule(
              d.after(),
              () -> {
                die("scripted death");
                if (d.backAfter().isPositive()) {
                  s.schedule(d.backAfter(), this::revive);
                }
              });
      case Behavior.EngineError e ->
          s.schedule(
              e.after(),
              () -> finish(request, () -> ev.failed(token, FailureKind.ENGINE_ERROR, e.reason())));
      case Behavior.Fails f ->
          s.schedule(
              f.after(),
              () -> finish(request, () -> ev.failed(token, f.failure(), Optional.empty())));
      case Behavior.TimeOut t ->
          s.schedule(
              t.after(),
              () ->
                  finish(request, () -> ev.failed(token, FailureKind.TIMEOUT, "scripted timeout")));
      case Behavior.Reject r -> throw new IllegalStateException("handled above");
    }
  }

  private void finish(DispatchRequest request, Runnable reply) {
    synchronized (this) {
      if (!alive || current != request) {
        return;
      }
      current = null;
    }
    reply.run();
  }

  private synchronized Behavior next(String test) {
    Deque<Behavior> q = script.get(test);
    if (q == null || q.isEmpty()) {
      return fallback;
    }
    return q.size() > 1 ? q.poll() : q.peek();
  }

  @Override
  public synchronized void abort(AbortRequest request) {
    aborts.add(request);
    if (current != null && current.fencingToken() == request.fencingToken()) {
      current = null;
      WorkerEvents ev = Objects.requireNonNull(events);
      Duration takes = abortTakes;
      if (takes != null) {
        Objects.requireNonNull(scheduler)
            .schedule(
                takes,
                () -> {
                  if (alive) {
                    ev.released(request.fencingToken());
                  }
                });
      }
    }
  }

  @Override
  public synchronized void stop() {
    alive = false;
  }

  /** The worker vanishes now: the core hears it is lost (as a broker's last will would say). */
  public synchronized void die(String reason) {
    if (!alive) {
      return;
    }
    alive = false;
    current = null;
    Objects.requireNonNull(events).lost(reason);
  }

  /**
   * The worker leaves cleanly (shut down, scaled in): the core takes it offline and retries what it
   * held.
   */
  public synchronized void leave() {
    if (!alive) {
      return;
    }
    alive = false;
    current = null;
    Objects.requireNonNull(events).lost("left");
  }

  /** The worker comes back and says it is ready. */
  public synchronized void revive() {
    alive = true;
    silent = false;
    Objects.requireNonNull(events).ready();
  }

  /** Stops heartbeats without telling anyone, like a hung machine. */
  public synchronized void goSilent() {
    silent = true;
  }

  synchronized void heartbeat() {
    if (alive && !silent && events != null) {
      events.heartbeat();
    }
  }

  /** Every dispatch it got, oldest first. */
  public synchronized List<DispatchRequest> dispatched() {
    return List.copyOf(dispatched);
  }

  /** Every abort it got. */
  public synchronized List<AbortRequest> aborts() {
    return List.copyOf(aborts);
  }

  /** The attempt it holds now, if any. */
  public synchronized Optional<DispatchRequest> current() {
    return Optional.ofNullable(current);
  }

  /** Sends a result for any token, as a late or confused worker might. */
  public void sendResult(long token, AttemptReport report) {
    Objects.requireNonNull(events).completed(token, report);
  }
}
