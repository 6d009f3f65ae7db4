package io.proteus.core.internal.engine;

import io.proteus.ProteusException;
import io.proteus.core.internal.job.JobRecord;
import io.proteus.core.internal.job.TaskRecord;
import io.proteus.core.internal.job.Verdicts;
import io.proteus.core.internal.loop.EventLoop;
import io.proteus.core.internal.routing.Router;
import io.proteus.core.internal.task.Attempt;
import io.proteus.core.internal.task.TaskEvent;
import io.proteus.core.internal.task.TaskMachine;
import io.proteus.core.internal.task.TaskState;
import io.proteus.core.internal.task.TaskTransition;
import io.proteus.core.internal.worker.WorkerEvent;
import io.proteus.core.internal.worker.WorkerMachine;
import io.proteus.core.internal.worker.WorkerRecord;
import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.JobStatus;
import io.proteus.model.TaskId;
import io.proteus.model.TaskStatus;
import io.proteus.model.WorkerDescriptor;
import io.proteus.model.WorkerState;
import io.proteus.model.WorkerStatus;
import io.proteus.spi.AbortRequest;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.FailureKind;
import io.proteus.spi.Pool;
import io.proteus.spi.ProteusEvent;
import io.proteus.spi.Worker;
import io.proteus.spi.WorkerContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's state and every rule that changes it: jobs, tasks, attempts, workers and routing.
 * Every method but the snapshot getters runs on the loop thread.
 */
public final class CoreEngine {
  private static final Logger log = LoggerFactory.getLogger(CoreEngine.class);

  private final CoreConfig config;
  private final EventLoop loop;
  private final Map<JobId, JobRecord> jobs = new LinkedHashMap<>();
  private final Map<String, WorkerRecord> workers = new LinkedHashMap<>();
  private final Snapshots snapshots = new Snapshots();
  private final Consumer<JobRecord> onJobFinal;
  private long nextToken;
  private boolean dispatchRequested;
  private boolean accepting = true;
  private CompletableFuture<Void> drained = new CompletableFuture<>();

  public CoreEngine(CoreConfig config, EventLoop loop, Consumer<JobRecord> onJobFinal) {
    this.config = config;
    this.loop = loop;
    this.onJobFinal = onJobFinal;
    this.nextToken = config.clock().millis() * 1000;
  }

  // ---- jobs ----

  /** Stores one job per plan and platform and queues their tasks. */
  public List<JobId> submit(String adapter, Build build) {
    if (!accepting) {
      throw new ProteusException("the core is stopping; build " + build.id() + " was not taken");
    }
    List<JobId> ids = new ArrayList<>();
    Instant now = loop.now();
    for (var plan : build.plans()) {
      for (String platform : plan.platforms()) {
        JobId id =
            new JobId(
                JobIds.slug(build.id())
                    + "-"
                    + JobIds.slug(plan.name())
                    + "-"
                    + JobIds.slug(platform)
                    + "-"
                    + JobIds.shortId());
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 0; i < plan.tests().size(); i++) {
          var test = plan.tests().get(i);
          var req =
              new io.proteus.model.Requirements(
                  plan.pool(),
                  platform,
                  test.tags(),
                  test.resources(),
                  test.topic().or(plan::topic));
          tasks.add(new TaskRecord(new TaskId(id, i), test, platform, req));
        }
        JobRecord job =
            new JobRecord(id, adapter, build.id(), plan, platform, build.files(), tasks, now);
        jobs.put(id, job);
        save(job);
        ids.add(id);
        emit(new ProteusEvent.JobSubmitted(now, id, plan.name(), platform, tasks.size()));
      }
    }
    loop.schedule(config.unroutableGrace(), this::failUnroutable);
    requestDispatch();
    return ids;
  }

  /** Cancels a job: queued tasks are cancelled, running ones aborted. */
  public boolean cancel(JobId id, String reason) {
    JobRecord job = jobs.get(id);
    if (job == null || job.status.isFinal()) {
      return false;
    }
    job.cancelled = true;
    for (TaskRecord t : job.tasks) {
      apply(job, t, new TaskEvent.Cancel(reason));
    }
    return true;
  }

  /** The published, thread-safe views of jobs and workers. */
  public Snapshots snapshots() {
    return snapshots;
  }

  // ---- workers ----

  /** Registers and starts a worker. */
  public void addWorker(Worker worker) {
    WorkerDescriptor d = worker.descriptor();
    if (workers.containsKey(d.id())) {
      throw new ProteusException("a worker with id '" + d.id() + "' is already registered");
    }
    WorkerRecord w = new WorkerRecord(worker, loop.now());
    workers.put(d.id(), w);
    publish(w);
    worker.start(new WorkerContext(new LoopWorkerEvents(loop, this, d.id()), config.clock()));
  }

  void onReady(String workerId) {
    withWorker(
        workerId,
        w -> {
          w.lastSeen = loop.now();
          w.consecutiveFailures = 0;
          changeWorker(w, new WorkerEvent.Ready(), "ready");
          requestDispatch();
        });
  }

  void onHeartbeat(String workerId) {
    withWorker(workerId, w -> w.lastSeen = loop.now());
  }

  void onLost(String workerId, String reason) {
    withWorker(workerId, w -> loseWorker(w, reason));
  }

  void onAccepted(String workerId, long token) {
    onTaskEvent(workerId, token, new TaskEvent.Accept(token));
  }

  void onProgress(String workerId, long token, TaskStatus phase) {
    TaskEvent e =
        phase == TaskStatus.UPLOADING ? new TaskEvent.Upload(token) : new TaskEvent.Start(token);
    onTaskEvent(workerId, token, e);
  }

  void onCompleted(String workerId, long token, AttemptReport report) {
    TaskRecord t = findByToken(token).orElse(null);
    if (t == null) {
      ignored("result from " + workerId + " for unknown or stale token " + token);
      return;
    }
    var verdict = Verdicts.judge(t.test, report);
    if (isLive(t.state, token)) {
      t.cases = verdict.cases();
      t.exitCode = Optional.of(report.exitCode());
      t.log = report.log();
      report.log().ifPresent(where -> keepLog(t, token, where));
    }
    apply(
        jobs.get(t.id.job()), t, new TaskEvent.Complete(token, verdict.status(), verdict.reason()));
  }

  private static boolean isLive(TaskState state, long token) {
    return switch (state) {
      case TaskState.Dispatched d -> d.attempt().token() == token;
      case TaskState.Loading l -> l.attempt().token() == token;
      case TaskState.Running r -> r.attempt().token() == token;
      case TaskState.Uploading u -> u.attempt().token() == token;
      case TaskState.Queued q -> false;
      case TaskState.Done d -> false;
    };
  }

  void onFailed(
      String workerId, long token, FailureKind kind, String reason, Optional<String> logPath) {
    logPath.ifPresent(where -> findByToken(token).ifPresent(t -> keepLog(t, token, where)));
    onTaskEvent(workerId, token, new TaskEvent.Fail(token, kind.end(), reason, false));
  }

  void onReleased(String workerId, long token) {
    withWorker(workerId, w -> w.lastSeen = loop.now());
  }

  private static void keepLog(TaskRecord t, long token, String where) {
    for (int i = 0; i < t.attempts.size(); i++) {
      AttemptRecord r = t.attempts.get(i);
      if (r.fencingToken() == token) {
        t.attempts.set(i, r.withLog(Optional.of(where)));
      }
    }
  }

  private void onTaskEvent(String workerId, long token, TaskEvent e) {
    withWorker(workerId, w -> w.lastSeen = loop.now());
    Optional<TaskRecord> t = findByToken(token);
    if (t.isEmpty()) {
      ignored(
          e.getClass().getSimpleName()
              + " from "
              + workerId
              + " for unknown or stale token "
              + token);
      return;
    }
    apply(jobs.get(t.get().id.job()), t.get(), e);
  }

  private Optional<TaskRecord> findByToken(long token) {
    for (JobRecord j : jobs.values()) {
      if (j.status.isFinal()) {
        continue;
      }
      for (TaskRecord t : j.tasks) {
        if (t.attempts.stream().anyMatch(a -> a.fencingToken() == token)) {
          return Optional.of(t);
        }
      }
    }
    return Optional.empty();
  }

  private void withWorker(String id, Consumer<WorkerRecord> action) {
    WorkerRecord w = workers.get(id);
    if (w == null) {
      ignored("event from unknown worker " + id);
    } else {
      action.accept(w);
    }
  }

  private void loseWorker(WorkerRecord w, String reason) {
    changeWorker(w, new WorkerEvent.Lost(), reason);
    if (w.attempt != null && w.task != null) {
      long token = w.attempt.token();
      JobRecord j = jobs.get(w.task.job());
      apply(
          j,
          j.tasks.get(w.task.index()),
          new TaskEvent.Fail(
              token,
              AttemptEnd.WORKER_LOST,
              "worker " + w.descriptor.id() + " lost: " + reason,
              false));
    }
    loop.schedule(config.unroutableGrace(), this::failUnroutable);
  }

  /** Marks workers silent past the heartbeat timeout as lost; runs periodically. */
  public void checkHeartbeats() {
    Instant limit = loop.now().minus(config.heartbeatTimeout());
    for (WorkerRecord w : List.copyOf(workers.values())) {
      if (w.state != WorkerState.OFFLINE && w.lastSeen.isBefore(limit)) {
        loseWorker(w, "no heartbeat for " + config.heartbeatTimeout().toSeconds() + "s");
      }
    }
  }

  /** Puts a quarantined worker back into rotation. */
  public void lift(String workerId) {
    withWorker(
        workerId,
        w -> {
          w.consecutiveFailures = 0;
          changeWorker(w, new WorkerEvent.Lift(), "lifted");
          requestDispatch();
        });
  }

  /** Stops giving a worker work; it goes offline once its task is done. */
  public void drain(String workerId) {
    withWorker(workerId, w -> changeWorker(w, new WorkerEvent.Drain(), "draining"));
  }

  private void changeWorker(WorkerRecord w, WorkerEvent e, String reason) {
    WorkerState before = w.state;
    var tr = WorkerMachine.next(before, e);
    if (tr.ignored().isPresent()) {
      log.debug("worker {}: ignored {}", w.descriptor.id(), tr.ignored().get());
      return;
    }
    w.state = tr.next();
    publish(w);
    if (before != w.state) {
      emit(
          new ProteusEvent.WorkerChanged(
              loop.now(), w.descriptor.id(), before, w.state, Optional.of(reason)));
    }
  }

  private void publish(WorkerRecord w) {
    snapshots.workers.put(
        w.descriptor.id(),
        new WorkerStatus(w.descriptor, w.state, Optional.ofNullable(w.task), w.tasksRun));
  }

  // ---- tasks ----

  private TaskTransition apply(JobRecord job, TaskRecord t, TaskEvent e) {
    TaskState before = t.state;
    TaskTransition tr = TaskMachine.next(before, e);
    if (tr.isIgnored()) {
      ignored("task " + t.id + ": " + tr.ignored().get());
      return tr;
    }
    t.state = tr.next();
    tr.ended().ifPresent(end -> endAttempt(t, end, tr.abortWorker()));
    if (t.state instanceof TaskState.Done d && !d.reason().isEmpty()) {
      t.reason = Optional.of(d.reason());
    }
    if (job.status == JobStatus.PENDING && e instanceof TaskEvent.Dispatch) {
      job.status = JobStatus.ACTIVE;
    }
    int attempt = t.attempts.isEmpty() ? 0 : t.attempts.getLast().number();
    Optional<String> worker =
        t.attempts.isEmpty() ? Optional.empty() : Optional.of(t.attempts.getLast().workerId());
    Optional<String> why =
        tr.ended()
            .map(TaskTransition.EndedAttempt::reason)
            .filter(r -> !r.isEmpty())
            .or(() -> t.reason);
    emit(
        new ProteusEvent.TaskChanged(
            loop.now(),
            t.id,
            t.test.name(),
            t.platform,
            before.status(),
            t.state.status(),
            attempt,
            worker,
            t.state.status().isFinal() || tr.ended().isPresent() ? why : Optional.empty()));
    if (job.allFinal() && !job.status.isFinal()) {
      job.status = job.cancelled ? JobStatus.CANCELLED : JobStatus.COMPLETED;
      job.finished = Optional.of(loop.now());
      save(job);
      JobResult result = snapshots.jobs.get(job.id);
      emit(new ProteusEvent.JobFinished(loop.now(), result));
      snapshots.completion(job.id).complete(result);
      onJobFinal.accept(job);
    } else {
      save(job);
    }
    if (inFlight() == 0) {
      drained.complete(null);
    }
    requestDispatch();
    return tr;
  }

  private void endAttempt(TaskRecord t, TaskTransition.EndedAttempt end, boolean abort) {
    Attempt a = end.attempt();
    for (int i = 0; i < t.attempts.size(); i++) {
      AttemptRecord r = t.attempts.get(i);
      if (r.fencingToken() == a.token()) {
        t.attempts.set(
            i,
            r.ended(
                end.end(), end.reason().isEmpty() ? Optional.empty() : Optional.of(end.reason())));
      }
    }
    if (t.deadline != null) {
      t.deadline.cancel();
      t.deadline = null;
    }
    boolean failedToRun = end.end().retryable();
    if (failedToRun) {
      t.failedOn.add(a.workerId());
    }
    WorkerRecord w = workers.get(a.workerId());
    if (w == null || w.attempt == null || w.attempt.token() != a.token()) {
      return;
    }
    if (abort) {
      w.link.abort(new AbortRequest(t.id, a.token(), end.reason()));
    }
    w.task = null;
    w.attempt = null;
    if (end.end() == AttemptEnd.WORKER_LOST) {
      publish(w);
      return;
    }
    w.consecutiveFailures = failedToRun ? w.consecutiveFailures + 1 : 0;
    changeWorker(
        w,
        new WorkerEvent.Release(failedToRun, w.consecutiveFailures >= config.quarantineAfter()),
        end.end().name());
  }

  private void failUnroutable() {
    Instant cutoff = loop.now().minus(config.unroutableGrace());
    List<WorkerDescriptor> registered =
        workers.values().stream()
            .filter(w -> w.state != WorkerState.OFFLINE)
            .map(w -> w.descriptor)
            .toList();
    for (JobRecord j : List.copyOf(jobs.values())) {
      if (j.status.isFinal() || j.submitted.isAfter(cutoff)) {
        continue;
      }
      for (TaskRecord t : j.tasks) {
        if (t.state instanceof TaskState.Queued) {
          Router.whyUnroutable(t.requirements, registered)
              .ifPresent(why -> apply(j, t, new TaskEvent.Unroutable(why)));
        }
      }
    }
  }

  // ---- routing ----

  /** Asks for one routing pass at the end of this loop turn. */
  public void requestDispatch() {
    if (!dispatchRequested) {
      dispatchRequested = true;
      loop.post(this::dispatch);
    }
  }

  private void dispatch() {
    dispatchRequested = false;
    if (!accepting) {
      return;
    }
    List<Router.QueuedTask> queue = new ArrayList<>();
    Set<String> held = new java.util.HashSet<>();
    for (JobRecord j : jobs.values()) {
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
    List<Router.IdleWorker> idle =
        workers.values().stream()
            .filter(w -> w.state == WorkerState.IDLE)
            .map(w -> new Router.IdleWorker(w.descriptor, w.lastAssigned, w.tasksRun))
            .toList();
    for (Router.Assignment a : Router.route(queue, idle, held, this::pool)) {
      JobRecord j = jobs.get(a.task().job());
      send(j, j.tasks.get(a.task().index()), workers.get(a.workerId()));
    }
  }

  private boolean fresherWorkerExists(TaskRecord t) {
    if (t.failedOn.isEmpty()) {
      return true;
    }
    return workers.values().stream()
        .filter(w -> w.state == WorkerState.IDLE || w.state == WorkerState.BUSY)
        .anyMatch(w ->
            !t.failedOn.contains(w.descriptor.id()) && t.requirements.servableBy(w.descriptor));
  }

  private Pool pool(String name) {
    return config.pools().getOrDefault(name, Pool.leastRecentlyUsed(name));
  }

  private void send(JobRecord j, TaskRecord t, WorkerRecord w) {
    long token = ++nextToken;
    Attempt attempt = new Attempt(t.state.attemptsUsed() + 1, token, w.descriptor.id());
    Instant now = loop.now();
    t.attempts.add(
        new AttemptRecord(
            attempt.number(), token, w.descriptor.id(), now, Optional.empty(), Optional.empty()));
    w.task = t.id;
    w.attempt = attempt;
    w.lastAssigned = now;
    w.tasksRun++;
    changeWorker(w, new WorkerEvent.Assign(), "assigned " + t.id);
    apply(j, t, new TaskEvent.Dispatch(attempt));
    Duration timeout = t.test.timeout().orElse(config.defaultTimeout());
    t.deadline =
        loop.schedule(
            timeout.plus(config.leaseGrace()),
            () ->
                apply(
                    j,
                    t,
                    new TaskEvent.Fail(
                        token,
                        AttemptEnd.TIMEOUT,
                        "no result within " + timeout.plus(config.leaseGrace()).toSeconds() + "s",
                        true)));
    try {
      w.link.dispatch(
          new DispatchRequest(t.id, attempt.number(), token, t.test, t.platform, j.files, timeout));
    } catch (RuntimeException e) {
      log.warn("worker {} refused dispatch of {}", w.descriptor.id(), t.id, e);
      apply(
          j,
          t,
          new TaskEvent.Fail(
              token, AttemptEnd.REJECTED, "dispatch failed: " + e.getMessage(), false));
    }
  }

  // ---- lifecycle and bookkeeping ----

  /** Stops dispatching; the future completes once no task is in flight. */
  public CompletableFuture<Void> stopAccepting() {
    accepting = false;
    if (inFlight() == 0) {
      drained.complete(null);
    }
    return drained;
  }

  /** Aborts every live attempt and stops every worker. */
  public void shutdownWorkers() {
    for (WorkerRecord w : workers.values()) {
      if (w.attempt != null && w.task != null) {
        w.link.abort(new AbortRequest(w.task, w.attempt.token(), "core stopped"));
      }
      try {
        w.link.stop();
      } catch (RuntimeException e) {
        log.warn("worker {} failed to stop", w.descriptor.id(), e);
      }
    }
  }

  /** Tasks a worker holds or has been sent. */
  public long inFlight() {
    return jobs.values().stream()
        .flatMap(j -> j.tasks.stream())
        .filter(t -> !(t.state instanceof TaskState.Queued) && !t.state.status().isFinal())
        .count();
  }

  /** Loads a job the store kept (a finished one waiting in the outbox) so it can be delivered. */
  public void restoreSnapshot(JobResult job) {
    snapshots.jobs.put(job.id(), job);
  }

  private void save(JobRecord job) {
    JobResult snap = job.snapshot();
    config.store().save(snap);
    snapshots.jobs.put(job.id, snap);
  }

  private void ignored(String what) {
    log.debug("ignored: {}", what);
    emit(new ProteusEvent.Ignored(loop.now(), what));
  }

  void emit(ProteusEvent event) {
    try {
      config.listener().onEvent(event);
    } catch (RuntimeException e) {
      log.warn("a listener failed on {}", event.getClass().getSimpleName(), e);
    }
  }
}
