package io.proteus.core.internal.engine;

import io.proteus.ProteusException;
import io.proteus.core.internal.job.JobRecord;
import io.proteus.core.internal.job.TaskRecord;
import io.proteus.core.internal.loop.EventLoop;
import io.proteus.core.internal.routing.Router;
import io.proteus.core.internal.task.Attempt;
import io.proteus.core.internal.task.TaskEvent;
import io.proteus.core.internal.worker.WorkerEvent;
import io.proteus.core.internal.worker.WorkerMachine;
import io.proteus.core.internal.worker.WorkerRecord;
import io.proteus.model.AttemptEnd;
import io.proteus.model.Quarantine;
import io.proteus.model.TaskId;
import io.proteus.model.WorkerDescriptor;
import io.proteus.model.WorkerState;
import io.proteus.model.WorkerStatus;
import io.proteus.spi.AbortRequest;
import io.proteus.spi.ProteusEvent;
import io.proteus.spi.Worker;
import io.proteus.spi.WorkerContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers the core knows and their lifecycle: registration, readiness, loss, heartbeats, drain,
 * quarantine and lift, and aborted attempts that still hold a worker and its resources. Keeps a set
 * of workers that may be idle so a routing pass never walks the whole fleet. Loop thread only.
 */
final class WorkerBook {
  private static final Logger log = LoggerFactory.getLogger(WorkerBook.class);

  private final CoreEngine engine;
  private final EventLoop loop;
  private final Map<String, WorkerRecord> workers = new LinkedHashMap<>();
  private final Set<WorkerRecord> maybeIdle = new LinkedHashSet<>();

  WorkerBook(CoreEngine engine, EventLoop loop) {
    this.engine = engine;
    this.loop = loop;
  }

  /** Registers and starts a worker. */
  void add(Worker worker) {
    add(worker, null);
  }

  private WorkerRecord add(Worker worker, @Nullable Object via) {
    WorkerDescriptor d = worker.descriptor();
    WorkerRecord awaited = workers.get(d.id());
    if (awaited != null && awaited.joinedVia == AwaitedWorker.MARK) {
      awaited.joinedVia = via;
      engine.atomically(() -> Rejoin.rejoin(this, engine, awaited, worker, Set.of(), true));
      return awaited;
    }
    if (workers.containsKey(d.id())) {
      throw new ProteusException("a worker with id '" + d.id() + "' is already registered");
    }
    WorkerRecord w = new WorkerRecord(worker, loop.nanos(), via);
    w.seq = workers.size();
    workers.put(d.id(), w);
    publish(w);
    start(w, worker);
    return w;
  }

  private void start(WorkerRecord w, Worker link) {
    link.start(
        new WorkerContext(
            new LoopWorkerEvents(loop, engine.replies(), w.descriptor.id(), link),
            engine.config().clock()));
  }

  /** The worker said it is ready: it takes work, unless it is quarantined or was drained. */
  void ready(WorkerRecord w) {
    if (w.drained && w.state == WorkerState.OFFLINE) {
      engine.ignored("ready from drained worker " + w.descriptor.id());
      return;
    }
    WorkerState before = w.state;
    change(w, new WorkerEvent.Ready(), "ready");
    if (before != w.state) {
      w.failureStreak.clear();
    }
    if (w.quarantine != null && w.state == WorkerState.IDLE) {
      enterQuarantine(w, new WorkerEvent.Quarantine());
    }
    engine.requestDispatch();
  }

  /**
   * An agent said hello through the transport {@code via} on a new link: a new worker, or a worker
   * that joins again, whose link the new one replaces. Of the attempts it says it holds, the live
   * one it runs for the core is kept; a live one it does not hold is sent again when its dispatch
   * may never have arrived, else retried elsewhere. Returns the held attempts the core does not run
   * on it (to abort), or empty when the id belongs to a worker that did not join through {@code
   * via}.
   */
  Optional<Set<Long>> join(Worker link, Set<Long> held, Object via) {
    WorkerRecord known = workers.get(link.descriptor().id());
    if (known == null) {
      WorkerRecord w = add(link, via);
      engine.atomically(() -> ready(w));
      return Optional.of(new TreeSet<>(held));
    }
    boolean resumed = known.joinedVia == AwaitedWorker.MARK;
    if (resumed) {
      known.joinedVia = via;
    } else if (known.joinedVia != via) {
      return Optional.empty();
    }
    return Optional.of(
        engine.atomically(() -> Rejoin.rejoin(this, engine, known, link, held, resumed)));
  }

  /**
   * Records that worker {@code id} held {@code attempt} of {@code t} when the last core stopped.
   * The worker waits, busy, for the first link of that id (an agent's hello through any transport,
   * or a worker given to this core), which keeps the attempt if it still holds it; silent past the
   * heartbeat timeout, it is lost and the attempt retried. Returns false when the worker already
   * waits with another attempt: the caller fails this one.
   */
  boolean awaitAgain(String id, TaskRecord t, Attempt attempt) {
    WorkerRecord w = workers.get(id);
    if (w == null) {
      w = new WorkerRecord(new AwaitedWorker(id, t.requirements), loop.nanos(), AwaitedWorker.MARK);
      w.seq = workers.size();
      w.state = WorkerState.BUSY;
      workers.put(id, w);
    }
    if (w.attempt != null || w.joinedVia != AwaitedWorker.MARK) {
      return false;
    }
    w.task = t.id;
    w.attempt = attempt;
    publish(w);
    return true;
  }

  /** Replaces the link of a worker that joined again; the old one is stopped. */
  void relink(WorkerRecord w, Worker link) {
    Worker old = w.link;
    engine.tx().touch(w);
    w.link = link;
    w.descriptor = link.descriptor();
    engine.later(() -> {
      try {
        old.stop();
      } catch (RuntimeException e) {
        log.warn("the old link of worker {} failed to stop", w.descriptor.id(), e);
      }
      start(w, link);
    });
    engine.later(() -> publish(w));
  }

  void with(String id, Consumer<WorkerRecord> action) {
    WorkerRecord w = workers.get(id);
    if (w == null) {
      engine.ignored("event from unknown worker " + id);
    } else {
      action.accept(w);
    }
  }

  /**
   * Takes a worker offline and retries what it held. A lost worker may still hold a device (a
   * partition, not a crash), so the resources of the attempt it held stay held for the abort grace,
   * as do those of an attempt it was still aborting.
   */
  void lose(WorkerRecord w, String reason) {
    engine.tx().touch(w);
    boolean draining = w.state == WorkerState.DRAINING;
    change(w, new WorkerEvent.Lost(), reason);
    if (draining && w.attempt != null && w.task != null) {
      JobRecord j = engine.job(w.task.job());
      engine.apply(
          j,
          j.tasks.get(w.task.index()),
          new TaskEvent.HandBack(
              w.attempt.token(),
              "handed back: worker " + w.descriptor.id() + " left while it drained: " + reason));
    } else if (w.attempt != null && w.task != null) {
      long token = w.attempt.token();
      JobRecord j = engine.job(w.task.job());
      TaskRecord t = j.tasks.get(w.task.index());
      engine.apply(
          j,
          t,
          new TaskEvent.Fail(
              token,
              AttemptEnd.WORKER_LOST,
              "worker " + w.descriptor.id() + " lost: " + reason,
              false));
      if (w.aborting == null && !t.requirements.resources().isEmpty()) {
        w.aborting =
            new WorkerRecord.Aborting(
                token,
                t.requirements.resources(),
                t.id,
                AttemptEnd.WORKER_LOST,
                false,
                abortGraceTimer(w, token));
      }
    }
    engine.requestDispatch();
    engine.scheduleUnroutableCheck();
  }

  EventLoop.Timer abortGraceTimer(WorkerRecord w, long token) {
    return abortGraceTimer(w, token, Duration.ZERO);
  }

  /** As above, the abort grace counted from the end of the attempt's cancel grace. */
  EventLoop.Timer abortGraceTimer(WorkerRecord w, long token, Duration cancelGrace) {
    Duration wait = Dispatcher.saturatedSum(engine.config().abortGrace(), cancelGrace);
    return engine.schedule(
        wait,
        () ->
            engine.atomically(() ->
                abortOver(
                    w,
                    token,
                    "no word from the worker within the "
                        + engine.config().abortGrace().toSeconds()
                        + "s abort grace"
                        + (cancelGrace.isZero()
                            ? ""
                            : " after its " + cancelGrace.toSeconds() + "s cancel grace"))));
  }

  /** Marks workers silent past the heartbeat timeout as lost; runs periodically. */
  void checkHeartbeats() {
    long now = loop.nanos();
    long limit = engine.config().heartbeatTimeout().toNanos();
    for (WorkerRecord w : List.copyOf(workers.values())) {
      if (w.state != WorkerState.OFFLINE && now - w.lastSeenNanos > limit) {
        String why = "no heartbeat for " + engine.config().heartbeatTimeout().toSeconds() + "s";
        try {
          engine.atomically(() -> lose(w, why));
        } catch (RuntimeException e) {
          log.warn(
              "could not take silent worker {} offline; checking again later",
              w.descriptor.id(),
              e);
        }
      }
    }
  }

  /**
   * Puts a quarantined worker back into rotation, or forgets the quarantine a busy worker was to
   * get when its task ends. Returns whether it was quarantined.
   */
  boolean unquarantine(String workerId, Quarantine.Decider by) {
    WorkerRecord w = workers.get(workerId);
    if (w == null) {
      throw new ProteusException("no worker with id '" + workerId + "'");
    }
    return engine.atomically(() -> {
      Quarantine was = w.quarantine;
      boolean quarantined = w.state == WorkerState.QUARANTINED;
      if (was == null && !quarantined) {
        return false;
      }
      engine.tx().touch(w);
      w.failureStreak.clear();
      w.quarantine = null;
      change(w, new WorkerEvent.Lift(), "released by " + by);
      if (was != null) {
        engine.emit(new ProteusEvent.WorkerReleased(loop.now(), workerId, by, was));
      }
      engine.requestDispatch();
      return true;
    });
  }

  /**
   * Takes a worker out of rotation for {@code reason}: at once when it holds no task, else once its
   * task ends. Returns false, changing nothing, when it is offline, draining or quarantined
   * already.
   */
  boolean quarantine(String workerId, String reason, Quarantine.Decider by) {
    WorkerRecord w = workers.get(workerId);
    if (w == null) {
      throw new ProteusException("no worker with id '" + workerId + "'");
    }
    return engine.atomically(() -> {
      if (w.quarantine != null
          || w.state == WorkerState.OFFLINE
          || w.state == WorkerState.DRAINING
          || w.state == WorkerState.QUARANTINED) {
        return false;
      }
      engine.tx().touch(w);
      w.quarantine = new Quarantine(reason, loop.now(), by);
      if (w.state != WorkerState.BUSY) {
        enterQuarantine(w, new WorkerEvent.Quarantine());
      } else {
        engine.later(() -> publish(w));
      }
      return true;
    });
  }

  private void enterQuarantine(WorkerRecord w, WorkerEvent e) {
    Quarantine q = java.util.Objects.requireNonNull(w.quarantine);
    change(w, e, "quarantined by " + q.by() + ": " + q.reason());
    log.warn("worker {} quarantined by {}: {}", w.descriptor.id(), q.by(), q.reason());
    engine.emit(new ProteusEvent.WorkerQuarantined(loop.now(), w.descriptor.id(), q));
    engine.scheduleUnroutableCheck();
  }

  /**
   * Stops giving a worker work; the future completes once it is offline. Its live attempt may run
   * until {@code deadline} (none when null) passes; then it is handed back: aborted and queued
   * again, using up no attempt and not counted against the worker.
   */
  CompletableFuture<Void> drain(String workerId, @Nullable Duration deadline) {
    WorkerRecord w = workers.get(workerId);
    if (w == null) {
      return CompletableFuture.failedFuture(
          new ProteusException("no worker with id '" + workerId + "'"));
    }
    return drain(w, deadline, true);
  }

  /**
   * Drains {@code w}; {@code byOperator} when the core was told to (a new session of its agent then
   * does not put it back to work), not when the agent itself drains.
   */
  CompletableFuture<Void> drain(WorkerRecord w, @Nullable Duration deadline, boolean byOperator) {
    CompletableFuture<Void> offline = new CompletableFuture<>();
    engine.atomically(() -> {
      engine.tx().touch(w);
      w.drained |= byOperator;
      change(w, new WorkerEvent.Drain(), "draining");
      if (w.state == WorkerState.OFFLINE) {
        engine.later(() -> offline.complete(null));
      } else {
        engine.later(() -> w.offlineWaiters.add(offline));
        if (deadline != null && w.drainDeadline == null) {
          w.drainDeadline =
              engine.schedule(deadline, () -> engine.atomically(() -> handBack(w, deadline)));
        }
      }
      engine.scheduleUnroutableCheck();
    });
    return offline;
  }

  /** Whether {@code w} drains and holds the live attempt {@code token}. */
  boolean drainingWith(WorkerRecord w, long token) {
    return w.state == WorkerState.DRAINING && w.attempt != null && w.attempt.token() == token;
  }

  /**
   * A worker released its live attempt unasked: a draining one that stopped at once, or one whose
   * attempt an earlier core aborted as it stopped, re-adopted by this core before that end arrived.
   * The attempt is over without a result, by no fault of the test or the worker: it is handed back,
   * so the release that follows frees the worker and the task runs again.
   */
  void handBackReleased(WorkerRecord w, long token) {
    if (w.attempt == null || w.attempt.token() != token || w.aborting != null || w.task == null) {
      return;
    }
    JobRecord j = engine.job(w.task.job());
    String why =
        w.state == WorkerState.DRAINING
            ? " stopped while it drained"
            : " ended it unasked (aborted by a core that stopped)";
    engine.apply(
        j,
        j.tasks.get(w.task.index()),
        new TaskEvent.HandBack(token, "handed back: worker " + w.descriptor.id() + why));
  }

  private void handBack(WorkerRecord w, Duration deadline) {
    engine.tx().touch(w);
    w.drainDeadline = null;
    if (w.state != WorkerState.DRAINING || w.attempt == null || w.task == null) {
      return;
    }
    JobRecord j = engine.job(w.task.job());
    TaskRecord t = j.tasks.get(w.task.index());
    String why =
        "handed back: worker "
            + w.descriptor.id()
            + " drained and its "
            + deadline
            + " deadline passed";
    log.info("worker {}: {} {}", w.descriptor.id(), t.id, why);
    engine.apply(j, t, new TaskEvent.HandBack(w.attempt.token(), why));
  }

  void change(WorkerRecord w, WorkerEvent e, String reason) {
    WorkerState before = w.state;
    var tr = WorkerMachine.next(before, e);
    if (tr.ignored().isPresent()) {
      log.debug("worker {}: ignored {}", w.descriptor.id(), tr.ignored().get());
      return;
    }
    engine.tx().touch(w);
    w.state = tr.next();
    if (w.state == WorkerState.IDLE) {
      maybeIdle.add(w);
    }
    if (w.state == WorkerState.OFFLINE) {
      wentOffline(w);
    }
    engine.later(() -> publish(w));
    if (before != w.state) {
      engine.emit(
          new ProteusEvent.WorkerChanged(
              loop.now(), w.descriptor.id(), before, w.state, Optional.of(reason)));
    }
  }

  private void wentOffline(WorkerRecord w) {
    EventLoop.Timer deadline = w.drainDeadline;
    if (deadline != null) {
      w.drainDeadline = null;
      engine.later(deadline::cancel);
    }
    engine.later(() -> {
      List<CompletableFuture<Void>> waiting = List.copyOf(w.offlineWaiters);
      w.offlineWaiters.clear();
      waiting.forEach(f -> f.complete(null));
    });
  }

  void publish(WorkerRecord w) {
    engine
        .snapshots()
        .workers
        .put(
            w.descriptor.id(),
            new WorkerStatus(
                w.descriptor,
                w.state,
                Optional.ofNullable(w.task),
                w.tasksRun,
                w.state == WorkerState.QUARANTINED
                    ? Optional.ofNullable(w.quarantine)
                    : Optional.empty()));
  }

  boolean anyAborting() {
    for (WorkerRecord w : workers.values()) {
      if (w.aborting != null) {
        return true;
      }
    }
    return false;
  }

  void abort(WorkerRecord w, AbortRequest request) {
    try {
      w.link.abort(request);
    } catch (RuntimeException | Error e) {
      log.warn("worker {} failed to abort {}", w.descriptor.id(), request.task(), e);
    }
  }

  void abortOver(WorkerRecord w, long token, String why) {
    WorkerRecord.Aborting ab = w.aborting;
    if (ab == null || ab.token() != token) {
      engine.ignored(
          "release of token " + token + " by " + w.descriptor.id() + ": not aborting it");
      return;
    }
    log.debug("worker {}: aborted attempt {} is over: {}", w.descriptor.id(), token, why);
    engine.tx().touch(w);
    w.aborting = null;
    engine.later(ab.grace()::cancel);
    if (w.attempt == null) {
      release(w, ab.task(), ab.end(), ab.counts() && !failedElsewhere(ab.task(), w));
    }
    engine.later(() -> engine.evictIfDone(ab.task().job()));
    engine.later(engine::completeDrainedIfIdle);
    engine.requestDispatch();
  }

  /** Whether the task also could not run on another worker: then it is the task's fault. */
  private boolean failedElsewhere(TaskId task, WorkerRecord w) {
    JobRecord j = engine.book().job(task.job()).orElse(null);
    return j != null
        && j.tasks.get(task.index()).failedOn.stream()
            .anyMatch(id -> !id.equals(w.descriptor.id()));
  }

  void release(WorkerRecord w, TaskId task, AttemptEnd end, boolean counts) {
    engine.tx().touch(w);
    if (end == AttemptEnd.COMPLETED) {
      w.failureStreak.clear();
    } else if (counts && !w.failureStreak.contains(task)) {
      w.failureStreak.add(task);
    }
    boolean streak = w.failureStreak.size() >= engine.config().quarantineAfter();
    if (streak && w.quarantine == null && w.state == WorkerState.BUSY) {
      w.quarantine =
          new Quarantine(
              w.failureStreak.size()
                  + " tasks in a row could not run on it: "
                  + w.failureStreak
                  + "; last: "
                  + end,
              loop.now(),
              Quarantine.Decider.CORE);
    }
    boolean quarantine = w.quarantine != null && w.state == WorkerState.BUSY;
    if (quarantine) {
      enterQuarantine(w, new WorkerEvent.Release(end.retryable(), true));
      return;
    }
    change(w, new WorkerEvent.Release(end.retryable(), false), end.name());
    if (w.state == WorkerState.OFFLINE) {
      engine.scheduleUnroutableCheck();
    }
  }

  Iterable<WorkerRecord> records() {
    return workers.values();
  }

  /** The idle workers, in registration order. */
  List<Router.IdleWorker> idle() {
    List<WorkerRecord> idle = new ArrayList<>();
    for (var it = maybeIdle.iterator(); it.hasNext(); ) {
      WorkerRecord w = it.next();
      if (w.state == WorkerState.IDLE) {
        idle.add(w);
      } else {
        it.remove();
      }
    }
    idle.sort(java.util.Comparator.comparingInt(w -> w.seq));
    List<Router.IdleWorker> out = new ArrayList<>(idle.size());
    for (WorkerRecord w : idle) {
      out.add(new Router.IdleWorker(w.descriptor, w.lastAssigned, w.tasksRun));
    }
    return out;
  }

  WorkerRecord get(String id) {
    return workers.get(id);
  }

  /** Aborts every live attempt and stops every worker. */
  void shutdown() {
    for (WorkerRecord w : workers.values()) {
      if (w.attempt != null && w.task != null) {
        abort(w, new AbortRequest(w.task, w.attempt.token(), "core stopped"));
      }
      try {
        w.link.stop();
      } catch (RuntimeException | LinkageError e) {
        log.warn("worker {} failed to stop", w.descriptor.id(), e);
      }
    }
  }
}
