package io.proteus.testkit;

import io.proteus.core.LoopControl;
import io.proteus.core.ProteusCore;
import io.proteus.core.ProteusCoreBuilder;
import io.proteus.core.store.InMemoryJobStore;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.ProteusEvent;
import io.proteus.spi.Reservation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A real core on a manual clock, stepped by the test: no loop thread, no real time, no broker. Add
 * {@link ScriptedWorker}s, submit plans, then {@link #advance} time or {@link #runUntilIdle}. Every
 * event the core emitted is kept for assertions.
 *
 * <pre>{@code
 * try (ProteusTestEnvironment env = ProteusTestEnvironment.create()) {
 *   env.addWorkers(
 *       ScriptedWorker.of("w1", "lab", "linux").on("flaky", Behavior.engineError()),
 *       ScriptedWorker.of("w2", "lab", "linux"));
 *   JobId job = env.submit(plan).getFirst();
 *   env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(10));
 *   assertThat(env.task(job, 0).status()).isEqualTo(TaskStatus.PASSED);
 *   assertThat(env.task(job, 0).attempts()).hasSize(2); // retried on w2
 * }
 * }</pre>
 */
public final class ProteusTestEnvironment implements AutoCloseable {
  private final ManualClock clock = new ManualClock();
  private final FakeScheduler scheduler = new FakeScheduler(clock);
  private final InMemoryJobStore store = new InMemoryJobStore();
  private final List<ProteusEvent> events = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, ScriptedWorker> workers = new LinkedHashMap<>();
  private final ProteusCore core;
  private final LoopControl loop;
  private int builds;

  private ProteusTestEnvironment(Consumer<ProteusCoreBuilder> customize) {
    ProteusCoreBuilder b =
        ProteusCore.builder()
            .clock(clock)
            .blockingExecutor(Runnable::run)
            .store(store)
            .listener(events::add)
            .steppedLoop()
            .unroutableGrace(Duration.ofSeconds(5))
            .heartbeatTimeout(Duration.ofSeconds(30))
            .leaseGrace(Duration.ofSeconds(10))
            .defaultTimeout(Duration.ofMinutes(1));
    customize.accept(b);
    this.core = b.build();
    this.loop = core.loopControl();
    core.start();
    runUntilIdle();
  }

  /** An environment with the default settings. */
  public static ProteusTestEnvironment create() {
    return new ProteusTestEnvironment(b -> {});
  }

  /** An environment whose core settings the test adjusts (timeouts, graces, adapters). */
  public static ProteusTestEnvironment create(Consumer<ProteusCoreBuilder> customize) {
    return new ProteusTestEnvironment(customize);
  }

  /** Registers scripted workers; they become ready at once. */
  public ProteusTestEnvironment addWorkers(ScriptedWorker... added) {
    for (ScriptedWorker w : added) {
      w.useScheduler(scheduler);
      workers.put(w.descriptor().id(), w);
      core.addWorker(w);
    }
    runUntilIdle();
    return this;
  }

  /** A registered scripted worker. */
  public ScriptedWorker worker(String id) {
    ScriptedWorker w = workers.get(id);
    if (w == null) {
      throw new IllegalArgumentException("no scripted worker " + id + "; have " + workers.keySet());
    }
    return w;
  }

  /** Submits plans as one build with no files; returns its jobs. */
  public List<JobId> submit(TestPlan... plans) {
    List<JobId> ids =
        core.submit(
            new Build("build-" + ++builds, List.of(plans), BuildFiles.NONE, Reservation.NONE));
    runUntilIdle();
    return ids;
  }

  /** Runs queued events and due timers until nothing is left at the current instant. */
  public void runUntilIdle() {
    int ran;
    do {
      scheduler.runDue();
      loop.runUntilIdle();
      ran = scheduler.runDue();
    } while (ran > 0);
    loop.runUntilIdle();
  }

  /** Moves time forward by {@code d}, running everything due on the way, in order. */
  public void advance(Duration d) {
    Instant target = clock.instant().plus(d);
    runUntilIdle();
    while (true) {
      Optional<Instant> next = earliest(loop.nextTimer(), scheduler.next());
      if (next.isEmpty() || next.get().isAfter(target)) {
        break;
      }
      if (next.get().isAfter(clock.instant())) {
        clock.set(next.get());
        workers.values().forEach(ScriptedWorker::heartbeat);
      }
      runUntilIdle();
    }
    clock.set(target);
    workers.values().forEach(ScriptedWorker::heartbeat);
    runUntilIdle();
  }

  /** Advances in steps of {@code step} until every job is final or {@code limit} passes. */
  public void advanceUntilDone(Duration step, Duration limit) {
    Instant end = clock.instant().plus(limit);
    while (core.jobs().stream().anyMatch(j -> !j.status().isFinal())
        && clock.instant().isBefore(end)) {
      advance(step);
    }
  }

  private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return Optional.of(a.get().isBefore(b.get()) ? a.get() : b.get());
  }

  /** The job's current state. */
  public JobResult job(JobId id) {
    return core.job(id).orElseThrow(() -> new IllegalArgumentException("no job " + id));
  }

  /** The task at {@code index} of a job. */
  public TaskResult task(JobId id, int index) {
    return job(id).tasks().get(index);
  }

  /** Every event the core emitted, oldest first. */
  public List<ProteusEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** Events of one type. */
  public <E extends ProteusEvent> List<E> events(Class<E> type) {
    return events().stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Task counts by status across every job. */
  public Map<TaskStatus, Long> counts() {
    Map<TaskStatus, Long> out = new EnumMap<>(TaskStatus.class);
    for (TaskStatus s : TaskStatus.values()) {
      out.put(s, 0L);
    }
    core.jobs().forEach(j -> j.tasks().forEach(t -> out.merge(t.status(), 1L, Long::sum)));
    return out;
  }

  /** The manual clock. */
  public ManualClock clock() {
    return clock;
  }

  /** The scheduler fakes use. */
  public FakeScheduler scheduler() {
    return scheduler;
  }

  /** The core under test. */
  public ProteusCore core() {
    return core;
  }

  /** The in-memory store the core writes through. */
  public InMemoryJobStore store() {
    return store;
  }

  @Override
  public void close() {
    core.stop(Duration.ZERO);
  }
}
