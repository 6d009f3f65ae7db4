package io.proteus.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.core.internal.engine.Invariants;
import io.proteus.model.AttemptEnd;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.AbortRequest;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Failure;
import io.proteus.spi.FailureKind;
import io.proteus.spi.Reservation;
import io.proteus.spi.Worker;
import io.proteus.spi.WorkerContext;
import io.proteus.spi.WorkerEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random runs: workers join, leave, die, go silent and come back; results, failures, stale
 * replies, timeouts, cancels, drains and lifts come in any order. After every step the core's
 * indexes and counters must match a recount of its records, its snapshots must match its records,
 * and every task must be accounted for; at the end every job must be final.
 */
class SeededRandomRunTest {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  static IntStream seeds() {
    return IntStream.range(1, 31);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void indexesCountersAndSnapshotsHoldAfterEveryStep(int seed) {
    new Run(seed).go();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theSameHoldsWhenTheCoreDiesAndANewOneResumesFromTheStore(int seed) {
    new Run(1000 + seed, true).go();
  }

  /** A clock the run moves by hand. */
  static final class HandClock extends Clock {
    Instant now = START;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** A worker whose replies the run makes; it remembers what it was sent. */
  static final class HandWorker implements Worker {
    final WorkerDescriptor descriptor;
    final List<DispatchRequest> sent = new ArrayList<>();
    final List<AbortRequest> aborted = new ArrayList<>();
    WorkerEvents events;

    HandWorker(WorkerDescriptor descriptor) {
      this.descriptor = descriptor;
    }

    @Override
    public WorkerDescriptor descriptor() {
      return descriptor;
    }

    @Override
    public void start(WorkerContext context) {
      events = context.events();
      events.ready();
    }

    @Override
    public void dispatch(DispatchRequest request) {
      sent.add(request);
    }

    @Override
    public void abort(AbortRequest request) {
      aborted.add(request);
    }

    @Override
    public void stop() {}
  }

  /**
   * The in-memory store, refusing every write while it is down, and for ever once the core that
   * uses it died (a restart gives the next core a new view of the same store).
   */
  static final class FlakyStore implements io.proteus.spi.JobStore {
    final io.proteus.core.store.InMemoryJobStore inner;
    volatile boolean down;
    volatile boolean dead;

    FlakyStore() {
      this(new io.proteus.core.store.InMemoryJobStore());
    }

    FlakyStore(io.proteus.core.store.InMemoryJobStore inner) {
      this.inner = inner;
    }

    private void writable() {
      if (down || dead) {
        throw new IllegalStateException(dead ? "this core is dead" : "disk full");
      }
    }

    @Override
    public void save(JobResult job) {
      writable();
      inner.save(job);
    }

    @Override
    public void write(io.proteus.spi.StoreBatch batch) {
      writable();
      inner.write(batch);
    }

    @Override
    public io.proteus.spi.StoreResume resume() {
      return inner.resume();
    }

    @Override
    public Optional<JobResult> find(JobId id) {
      return inner.find(id);
    }

    @Override
    public List<JobResult> list(JobList list) {
      return inner.list(list);
    }

    @Override
    public void addToOutbox(JobId id) {
      writable();
      inner.addToOutbox(id);
    }

    @Override
    public List<JobId> outbox() {
      return inner.outbox();
    }

    @Override
    public void removeFromOutbox(JobId id) {
      if (dead) {
        throw new IllegalStateException("this core is dead");
      }
      inner.removeFromOutbox(id);
    }
  }

  static final class Run {
    final Random random;
    final int seed;
    final HandClock clock = new HandClock();
    final boolean restarts;
    final List<ProteusCore> dead = new ArrayList<>();
    final Set<io.proteus.model.TaskId> finalAtRestart = new java.util.HashSet<>();
    ProteusCore core;
    List<HandWorker> workers = new ArrayList<>();
    final List<JobId> jobs = new ArrayList<>();
    FlakyStore store = new FlakyStore();
    int step;

    Run(int seed) {
      this(seed, false);
    }

    Run(int seed, boolean restarts) {
      this.seed = seed;
      this.restarts = restarts;
      this.random = new Random(seed);
      this.core = newCore();
    }

    private ProteusCore newCore() {
      return ProteusCore.builder()
          .clock(clock)
          .steppedLoop()
          .heartbeatTimeout(Duration.ofSeconds(40))
          .unroutableGrace(Duration.ofSeconds(5))
          .abortGrace(Duration.ofSeconds(10))
          .store(store)
          .blockingExecutor(Runnable::run)
          .build()
          .start();
    }

    /**
     * The core dies at this instant (nothing it would still write lands) and a new one starts on
     * the same store; each worker joins it again with a fresh link, holding nothing.
     */
    void restart() {
      store.dead = true;
      for (JobResult j : store.inner.resume().jobs().stream().map(r -> r.job()).toList()) {
        j.tasks().stream()
            .filter(t -> t.status().isFinal())
            .forEach(t -> finalAtRestart.add(t.id()));
      }
      dead.add(core);
      FlakyStore next = new FlakyStore(store.inner);
      next.down = store.down;
      store = next;
      core = newCore();
      List<HandWorker> again = new ArrayList<>();
      for (HandWorker w : workers) {
        HandWorker fresh = new HandWorker(w.descriptor);
        again.add(fresh);
        core.addWorker(fresh);
      }
      workers = again;
    }

    void go() {
      addWorker();
      settle();
      for (step = 0; step < 300; step++) {
        act();
        settle();
      }
      finish();
      if (restarts) {
        assertThat(dead).as("seed %d: the core never restarted", seed).isNotEmpty();
      }
      core.stop(Duration.ZERO);
      dead.forEach(c -> c.stop(Duration.ZERO));
    }

    void act() {
      int dice = random.nextInt(100);
      if (dice < 10) {
        submit();
      } else if (dice < 14 && workers.size() < 6) {
        addWorker();
      } else if (dice < 60) {
        reply(pick(workers));
      } else if (dice < 66) {
        staleReply(pick(workers));
      } else if (dice < 70) {
        pick(workers).events.lost("pulled out");
      } else if (dice < 75) {
        pick(workers).events.ready();
      } else if (dice < 80) {
        workers.forEach(w -> w.events.heartbeat());
      } else if (dice < 83 && !jobs.isEmpty()) {
        core.cancel(jobs.get(random.nextInt(jobs.size())));
      } else if (dice < 86) {
        core.drain(pick(workers).descriptor.id());
      } else if (dice < 89) {
        core.lift(pick(workers).descriptor.id());
      } else if (dice < 92) {
        store.down = !store.down;
      } else if (restarts && dice < 94) {
        restart();
      } else {
        advance(Duration.ofMillis(random.nextInt(15_000)));
      }
    }

    void submit() {
      int n = 1 + random.nextInt(8);
      List<TestSpec> tests = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Set<String> tags = random.nextInt(5) == 0 ? Set.of("gpu") : Set.of();
        Set<String> resources = random.nextInt(4) == 0 ? Set.of("dev") : Set.of();
        tests.add(
            new TestSpec(
                "t" + i,
                "bin/t" + i,
                Optional.empty(),
                List.of(),
                Map.of(),
                Optional.of(Duration.ofSeconds(5 + random.nextInt(30))),
                tags,
                resources,
                Map.of(),
                List.of(),
                Optional.empty(),
                Optional.empty()));
      }
      TestPlan plan = new TestPlan("p", "1", List.of("linux"), "lab", Optional.empty(), tests);
      try {
        jobs.addAll(
            core.submit(new Build("b" + step, List.of(plan), BuildFiles.NONE, Reservation.NONE)));
        assertThat(store.down).as("seed %d: a submit the store refused returned", seed).isFalse();
      } catch (io.proteus.ProteusException e) {
        assertThat(store.down).as("seed %d: submit failed with the store up", seed).isTrue();
      }
    }

    void addWorker() {
      Set<String> tags = random.nextBoolean() ? Set.of("gpu") : Set.of();
      HandWorker w =
          new HandWorker(
              new WorkerDescriptor("w" + workers.size(), "lab", "linux", tags, Optional.empty()));
      workers.add(w);
      core.addWorker(w);
    }

    void reply(HandWorker w) {
      if (w.sent.isEmpty()) {
        return;
      }
      DispatchRequest r =
          w.sent.get(w.sent.size() - 1 - random.nextInt(Math.min(2, w.sent.size())));
      long token = r.fencingToken();
      switch (random.nextInt(7)) {
        case 0 -> w.events.accepted(token);
        case 1 -> w.events.progressed(token, TaskStatus.RUNNING);
        case 2 -> w.events.progressed(token, TaskStatus.UPLOADING);
        case 3, 4 ->
            w.events.completed(
                token,
                new AttemptReport(
                    random.nextInt(3) == 0 ? 1 : 0,
                    List.of(),
                    Optional.empty(),
                    Duration.ofSeconds(1)));
        case 5 ->
            w.events.failed(
                token,
                random.nextInt(4) == 0
                    ? Failure.nonRetryable(FailureKind.POLICY_REFUSED, "refused")
                    : Failure.retryable(FailureKind.ENGINE_ERROR, "engine broke"),
                Optional.empty());
        default -> w.events.released(token);
      }
    }

    void staleReply(HandWorker w) {
      long token = 1 + random.nextLong(Long.MAX_VALUE - 1);
      w.events.completed(token, new AttemptReport(0, List.of(), Optional.empty(), Duration.ZERO));
      w.events.accepted(token);
    }

    HandWorker pick(List<HandWorker> from) {
      return from.get(random.nextInt(from.size()));
    }

    void advance(Duration d) {
      Instant target = clock.now.plus(d);
      while (true) {
        Optional<Instant> next = core.loopControl().nextTimer();
        if (next.isEmpty() || next.get().isAfter(target)) {
          break;
        }
        if (next.get().isAfter(clock.now)) {
          clock.now = next.get();
        }
        settle();
      }
      clock.now = target;
      settle();
    }

    void settle() {
      while (core.loopControl().runReady() > 0) {
        check();
      }
      check();
    }

    void check() {
      for (HandWorker w : workers) {
        for (DispatchRequest r : w.sent) {
          assertThat(finalAtRestart)
              .as(
                  "seed %d: %s was final in the store when the core died, yet ran again",
                  seed, r.task())
              .doesNotContain(r.task());
        }
      }
      assertThat(Invariants.violations(core.engine())).as("seed %d, step %d", seed, step).isEmpty();
      for (JobResult j : core.jobs()) {
        for (TaskResult t : j.tasks()) {
          assertThat(
                  t.attempts().stream()
                      .filter(a -> !a.end().equals(Optional.of(AttemptEnd.HANDED_BACK)))
                      .count())
              .as("seed %d: %s, attempts besides those handed back", seed, t.id())
              .isLessThanOrEqualTo(3);
          long unended = t.attempts().stream().filter(a -> a.end().isEmpty()).count();
          assertThat(unended)
              .as("seed %d: %s has more than one live attempt: %s", seed, t.id(), t.attempts())
              .isLessThanOrEqualTo(1);
        }
      }
    }

    /** Every worker comes back and answers everything: every job must end. */
    void finish() {
      store.down = false;
      for (int round = 0; round < 200 && !allFinal(); round++) {
        for (HandWorker w : workers) {
          w.events.ready();
          w.events.heartbeat();
          core.lift(w.descriptor.id());
          for (DispatchRequest r : List.copyOf(w.sent)) {
            w.events.accepted(r.fencingToken());
            w.events.completed(
                r.fencingToken(), new AttemptReport(0, List.of(), Optional.empty(), Duration.ZERO));
          }
          w.aborted.forEach(a -> w.events.released(a.fencingToken()));
        }
        advance(Duration.ofSeconds(2));
      }
      assertThat(core.jobs()).as("seed %d", seed).allMatch(j -> j.status().isFinal());
      advance(Duration.ofSeconds(2));
      for (JobId id : jobs) {
        assertThat(core.completion(id)).as("seed %d: %s", seed, id).isCompleted();
        assertThat(store.find(id)).as("seed %d: %s is stored", seed, id).isEqualTo(core.job(id));
        assertThat(store.outbox()).doesNotContain(id);
      }
    }

    boolean allFinal() {
      return core.jobs().stream().allMatch(j -> j.status().isFinal());
    }
  }
}
