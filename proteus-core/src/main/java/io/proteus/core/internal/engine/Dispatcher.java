package io.proteus.core.internal.engine;

import io.proteus.core.internal.job.JobRecord;
import io.proteus.core.internal.job.TaskRecord;
import io.proteus.core.internal.loop.EventLoop;
import io.proteus.core.internal.routing.Router;
import io.proteus.core.internal.task.Attempt;
import io.proteus.core.internal.task.TaskEvent;
import io.proteus.core.internal.task.TaskState;
import io.proteus.core.internal.worker.WorkerEvent;
import io.proteus.core.internal.worker.WorkerRecord;
import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.WorkerState;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued tasks to idle workers: one routing pass per loop turn that asks for it, each
 * assignment one all-or-nothing step (a new attempt with a fresh fencing token, its lease, the
 * worker busy), the call to the worker made only once the step has succeeded.
 */
final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

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

  private void dispatch() {
    dispatchRequested = false;
    if (!engine.accepting()) {
      return;
    }
    List<Router.QueuedTask> queue = new ArrayList<>();
    Set<String> held = new HashSet<>();
    for (JobRecord j : engine.jobRecords()) {
      for (TaskRecord t : j.tasks) {
        if (t.state instanceof TaskState.Queued) {
          queue.add(
              new Router.QueuedTask(t.id, t.requirements, t.failedOn, fresherWorkerExists(t)));
        } else if (!t.state.status().isFinal()) {
          held.addAll(t.requirements.resources());
        }
      }
    }
    if (queue.isEmpty()) {
      return;
    }
    for (WorkerRecord w : engine.workerRecords()) {
      if (w.aborting != null) {
        held.addAll(w.aborting.resources());
      }
    }
    List<Router.IdleWorker> idle =
        java.util.stream.StreamSupport.stream(engine.workerRecords().spliterator(), false)
            .filter(w -> w.state == WorkerState.IDLE)
            .map(w -> new Router.IdleWorker(w.descriptor, w.lastAssigned, w.tasksRun))
            .toList();
    for (Router.Assignment a : Router.route(queue, idle, held, this::pool)) {
      JobRecord j = engine.job(a.task().job());
      try {
        send(j, j.tasks.get(a.task().index()), engine.worker(a.workerId()));
      } catch (RuntimeException e) {
        log.warn("could not send {} to {}; it stays queued", a.task(), a.workerId(), e);
        loop.schedule(Duration.ofSeconds(1), this::requestDispatch);
      }
    }
  }

  private boolean fresherWorkerExists(TaskRecord t) {
    if (t.failedOn.isEmpty()) {
      return true;
    }
    return java.util.stream.StreamSupport.stream(engine.workerRecords().spliterator(), false)
        .filter(w -> w.state == WorkerState.IDLE || w.state == WorkerState.BUSY)
        .anyMatch(w ->
            !t.failedOn.contains(w.descriptor.id()) && t.requirements.servableBy(w.descriptor));
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
      w.task = t.id;
      w.attempt = attempt;
      w.lastAssigned = now;
      w.tasksRun++;
      engine.changeWorker(w, new WorkerEvent.Assign(), "assigned " + t.id);
      engine.applyIn(j, t, new TaskEvent.Dispatch(attempt));
      Duration timeout = t.test.timeout().orElse(engine.config().defaultTimeout());
      Duration lease = saturatedSum(timeout, engine.config().leaseGrace());
      t.deadline =
          engine.schedule(
              lease,
              () ->
                  engine.retrying(
                      "the lease of token " + token,
                      () ->
                          engine.apply(
                              j,
                              t,
                              new TaskEvent.Fail(
                                  token,
                                  AttemptEnd.TIMEOUT,
                                  "no result within " + lease.toSeconds() + "s",
                                  true))));
      DispatchRequest request =
          new DispatchRequest(t.id, attempt.number(), token, t.test, t.platform, j.files, timeout);
      engine.later(() -> dispatchToWorker(j, t, w, request));
    });
  }

  private void dispatchToWorker(JobRecord j, TaskRecord t, WorkerRecord w, DispatchRequest r) {
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
