package io.proteus.core.internal.engine;

import io.proteus.core.internal.job.JobRecord;
import io.proteus.core.internal.job.TaskRecord;
import io.proteus.core.internal.loop.EventLoop;
import io.proteus.core.internal.routing.Router;
import io.proteus.core.internal.task.Attempt;
import io.proteus.core.internal.task.TaskEvent;
import io.proteus.core.internal.worker.WorkerEvent;
import io.proteus.core.internal.worker.WorkerRecord;
import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.Requirements;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerState;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued tasks to idle workers: one routing pass per loop turn that asks for it, each
 * assignment one all-or-nothing step (a new attempt with a fresh fencing token, its lease, the
 * worker busy), the call to the worker made only once the step has succeeded. A pass looks at the
 * idle workers and at the oldest queued tasks of each group of like requirements, never at the
 * whole queue: a group no idle worker can serve, or whose resources are held, is skipped whole.
 */
final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /**
   * How many workers a pool is offered per task, longest idle first: enough to balance, few enough
   * that one decision costs the same with a thousand idle workers as with ten.
   */
  static final int CANDIDATES = 64;

  private static final java.util.Comparator<Router.IdleWorker> LONGEST_IDLE_FIRST =
      java.util.Comparator.comparing(Router.IdleWorker::lastAssigned)
          .thenComparing(w -> w.descriptor().id());

  private final CoreEngine engine;
  private final EventLoop loop;
  private boolean dispatchRequested;

  Dispatcher(CoreEngine engine, EventLoop loop) {
    this.engine = engine;
    this.loop = loop;
  }

  /** Asks for one routing pass at the end of this loop turn. */
  void requestDispatch() {
    engine.later(() -> {
      if (!dispatchRequested) {
        dispatchRequested = true;
        loop.post(this::dispatch);
      }
    });
  }

  /**
   * The oldest task of one group not yet looked at in this pass, and who could serve the group:
   * workers scoped to a topic apart from generic ones, each longest idle first.
   */
  private static final class Cursor {
    final Iterator<TaskRecord> rest;
    final Offer scoped;
    final Offer generic;
    TaskRecord head;

    Cursor(Iterator<TaskRecord> rest, List<Router.IdleWorker> able) {
      this.rest = rest;
      this.scoped =
          new Offer(able.stream().filter(w -> w.descriptor().topic().isPresent()).toList());
      this.generic =
          new Offer(able.stream().filter(w -> w.descriptor().topic().isEmpty()).toList());
      this.head = rest.next();
    }
  }

  /** Workers of one tier, longest idle first, with those taken in this pass skipped. */
  private static final class Offer {
    final List<Router.IdleWorker> workers;
    int start;

    Offer(List<Router.IdleWorker> workers) {
      this.workers = workers;
    }

    /** Up to {@code limit} workers not yet taken, or every one when {@code limit} is 0. */
    List<Router.IdleWorker> free(Set<String> taken, int limit) {
      while (start < workers.size() && taken.contains(workers.get(start).descriptor().id())) {
        start++;
      }
      List<Router.IdleWorker> out = new ArrayList<>();
      for (int i = start; i < workers.size() && (limit == 0 || out.size() < limit); i++) {
        Router.IdleWorker w = workers.get(i);
        if (!taken.contains(w.descriptor().id())) {
          out.add(w);
        }
      }
      return out;
    }
  }

  private void dispatch() {
    dispatchRequested = false;
    if (!engine.accepting() || engine.book().queuedCount() == 0) {
      return;
    }
    List<Router.IdleWorker> idle = new ArrayList<>(engine.workers().idle());
    idle.sort(LONGEST_IDLE_FIRST);
    if (idle.isEmpty()) {
      return;
    }
    Set<String> held = heldResources();
    Set<String> taken = new HashSet<>();
    PriorityQueue<Cursor> heads =
        new PriorityQueue<>((a, b) -> Long.compare(a.head.queueKey, b.head.queueKey));
    for (TreeMap<Long, TaskRecord> group : engine.book().queueGroups()) {
      Requirements req = group.firstEntry().getValue().requirements;
      if (req.resources().stream().anyMatch(held::contains)) {
        continue;
      }
      List<Router.IdleWorker> able =
          idle.stream().filter(w -> req.servableBy(w.descriptor())).toList();
      if (!able.isEmpty()) {
        heads.add(new Cursor(group.values().iterator(), able));
      }
    }
    List<Router.Assignment> out = new ArrayList<>();
    while (!heads.isEmpty() && taken.size() < idle.size()) {
      Cursor c = heads.poll();
      TaskRecord t = c.head;
      if (t.requirements.resources().stream().anyMatch(held::contains)) {
        continue;
      }
      int limit = t.failedOn.isEmpty() ? CANDIDATES : 0;
      List<Router.IdleWorker> free = c.scoped.free(taken, limit);
      if (free.isEmpty()) {
        free = c.generic.free(taken, limit);
      } else if (limit == 0) {
        free.addAll(c.generic.free(taken, 0));
      }
      if (free.isEmpty()) {
        continue;
      }
      Router.QueuedTask task =
          new Router.QueuedTask(t.id, t.requirements, t.failedOn, fresherWorkerExists(t));
      Optional<Router.IdleWorker> chosen = Router.choose(task, free, pool(t.requirements.pool()));
      if (chosen.isPresent()) {
        taken.add(chosen.get().descriptor().id());
        held.addAll(t.requirements.resources());
        out.add(new Router.Assignment(t.id, chosen.get().descriptor().id()));
      }
      if (c.rest.hasNext()) {
        c.head = c.rest.next();
        heads.add(c);
      }
    }
    for (Router.Assignment a : out) {
      JobRecord j = engine.job(a.task().job());
      try {
        send(j, j.tasks.get(a.task().index()), engine.workers().get(a.workerId()));
      } catch (RuntimeException e) {
        log.warn("could not send {} to {}; it stays queued", a.task(), a.workerId(), e);
        loop.schedule(Duration.ofSeconds(1), this::requestDispatch);
      }
    }
  }

  private Set<String> heldResources() {
    Set<String> held = new HashSet<>();
    for (WorkerRecord w : engine.workers().records()) {
      if (w.aborting != null) {
        held.addAll(w.aborting.resources());
      }
      if (w.task != null) {
        held.addAll(engine.job(w.task.job()).tasks.get(w.task.index()).requirements.resources());
      }
    }
    return held;
  }

  private boolean fresherWorkerExists(TaskRecord t) {
    if (t.failedOn.isEmpty()) {
      return true;
    }
    for (WorkerRecord w : engine.workers().records()) {
      if ((w.state == WorkerState.IDLE || w.state == WorkerState.BUSY)
          && !t.failedOn.contains(w.descriptor.id())
          && t.requirements.servableBy(w.descriptor)) {
        return true;
      }
    }
    return false;
  }

  private Pool pool(String name) {
    return engine.config().pools().getOrDefault(name, Pool.leastRecentlyUsed(name));
  }

  private void send(JobRecord j, TaskRecord t, WorkerRecord w) {
    engine.atomically(() -> {
      long token = engine.nextToken();
      Attempt attempt = new Attempt(t.state.attemptsUsed() + 1, token, w.descriptor.id());
      Instant now = loop.now();
      engine.tx().touch(t);
      engine.tx().touch(w);
      t.attempts.add(
          new AttemptRecord(
              attempt.number(), token, w.descriptor.id(), now, Optional.empty(), Optional.empty()));
      engine.book().tokenIssued(t, token, engine.tx()::onRollback);
      w.task = t.id;
      w.attempt = attempt;
      w.lastAssigned = now;
      w.tasksRun++;
      engine.workers().change(w, new WorkerEvent.Assign(), "assigned " + t.id);
      engine.applyIn(j, t, new TaskEvent.Dispatch(attempt));
      armDeadline(j, t, token);
      DispatchRequest request = request(engine.config(), j, t, attempt);
      engine.later(() -> dispatchToWorker(j, t, w, request));
    });
  }

  /**
   * Fails the attempt {@code token} of {@code t} as timed out when no result came within the test's
   * timeout plus its cancel grace and the lease grace.
   */
  void armDeadline(JobRecord j, TaskRecord t, long token) {
    Duration timeout = t.test.timeout().orElse(engine.config().defaultTimeout());
    Duration lease =
        saturatedSum(
            saturatedSum(timeout, engine.config().cancelGrace(t.test)),
            engine.config().leaseGrace());
    t.deadline =
        engine.schedule(
            lease,
            () ->
                engine.apply(
                    j,
                    t,
                    new TaskEvent.Fail(
                        token,
                        AttemptEnd.TIMEOUT,
                        "no result within " + lease.toSeconds() + "s",
                        true)));
  }

  /**
   * What a worker is sent for {@code attempt} at {@code t}: the test with the core's defaults
   * filled in for the settings the agent enforces (the no-output timeout and the cancel grace).
   */
  static DispatchRequest request(CoreConfig config, JobRecord j, TaskRecord t, Attempt attempt) {
    Duration timeout = t.test.timeout().orElse(config.defaultTimeout());
    TestSpec test = t.test;
    Optional<Duration> silence = test.noOutputTimeout().or(config.timeouts()::noOutput);
    if (test.cancelGrace().isEmpty() || !silence.equals(test.noOutputTimeout())) {
      test =
          test.toBuilder()
              .noOutputTimeout(silence)
              .cancelGrace(Optional.of(config.cancelGrace(test)))
              .build();
    }
    return new DispatchRequest(
        t.id, attempt.number(), attempt.token(), test, t.platform, j.files, timeout);
  }

  void dispatchToWorker(JobRecord j, TaskRecord t, WorkerRecord w, DispatchRequest r) {
    try {
      w.link.dispatch(r);
    } catch (RuntimeException | Error e) {
      log.warn("worker {} refused dispatch of {}", w.descriptor.id(), t.id, e);
      engine.apply(
          j,
          t,
          new TaskEvent.Fail(
              r.fencingToken(), AttemptEnd.REJECTED, "dispatch failed: " + e.getMessage(), false));
    }
  }

  static Duration saturatedSum(Duration a, Duration b) {
    try {
      return a.plus(b);
    } catch (ArithmeticException e) {
      return Duration.ofSeconds(Long.MAX_VALUE);
    }
  }
}
