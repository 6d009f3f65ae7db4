package io.proteus.core.internal.engine;

import io.proteus.CoreStoppedException;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's state and every rule that changes it: jobs, tasks, attempts, workers and routing.
 * Every method but the snapshot getters runs on the loop thread. Each step is all-or-nothing (see
 * {@link Transaction}): a step that throws, store write included, leaves no record changed and
 * nothing told to anyone.
 */
public final class CoreEngine {
  private static final Logger log = LoggerFactory.getLogger(CoreEngine.class);
  private static final int STORE_RETRIES = 600;

  private final CoreConfig config;
  private final EventLoop loop;
  private final Map<JobId, JobRecord> jobs = new LinkedHashMap<>();
  private final Map<String, WorkerRecord> workers = new LinkedHashMap<>();
  private final Snapshots snapshots = new Snapshots();
  private final Consumer<JobRecord> onJobFinal;
  private final Supplier<String> suffixes;
  private long nextToken;
  private boolean dispatchRequested;
  private boolean accepting = true;
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final Steps steps;

  public CoreEngine(CoreConfig config, EventLoop loop, Consumer<JobRecord> onJobFinal) {
    this(config, loop, onJobFinal, JobIds::shortId);
  }

  /** An engine whose job-id suffixes come from {@code suffixes}; for tests of collisions. */
  CoreEngine(
      CoreConfig config,
      EventLoop loop,
      Consumer<JobRecord> onJobFinal,
      Supplier<String> suffixes) {
    this.config = config;
    this.loop = loop;
    this.onJobFinal = onJobFinal;
    this.suffixes = suffixes;
    this.nextToken = config.clock().millis() * 1000;
    this.steps =
        new Steps(
            config.store(), jobs, snapshots, () -> workers.values().forEach(this::publishNow));
  }

  private <T> T atomically(Supplier<T> step) {
    return steps.atomically(step);
  }

  private void atomically(Runnable step) {
    steps.atomically(step);
  }

  private void later(Runnable effect) {
    steps.later(effect);
  }

  private Transaction tx() {
    return steps.tx();
  }

  // ---- jobs ----

  /** Stores one job per plan and platform and queues their tasks; all or none. */
  public List<JobId> submit(String adapter, Build build) {
    if (!accepting) {
      throw new CoreStoppedException(
          "the core is stopping; build " + build.id() + " was not taken");
    }
    return atomically(() -> submitIn(adapter, build));
  }

  private List<JobId> submitIn(String adapter, Build build) {
    List<JobId> ids = new ArrayList<>();
    Instant now = loop.now();
    for (var plan : build.plans()) {
      for (String platform : plan.platforms()) {
        JobId id = freshId(build.id(), plan.name(), platform);
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
        job.submittedNanos = loop.nanos();
        jobs.put(id, job);
        tx().added(id);
        steps.dirty(job);
        ids.add(id);
        emit(new ProteusEvent.JobSubmitted(now, id, plan.name(), platform, tasks.size()));
      }
    }
    scheduleUnroutableCheck();
    requestDispatch();
    return ids;
  }

  private JobId freshId(String build, String plan, String platform) {
    String stem = JobIds.slug(build) + "-" + JobIds.slug(plan) + "-" + JobIds.slug(platform) + "-";
    for (int i = 0; i < 100; i++) {
      JobId id = new JobId(stem + suffixes.get());
      if (!jobs.containsKey(id) && config.store().find(id).isEmpty()) {
        return id;
      }
    }
    throw new ProteusException("could not find a free job id for " + stem + "* in 100 tries");
  }

  /** Cancels a job: queued tasks are cancelled, running ones aborted. */
  public boolean cancel(JobId id, String reason) {
    JobRecord job = jobs.get(id);
    if (job == null || job.status.isFinal()) {
      return false;
    }
    atomically(() -> {
      tx().touch(job);
      job.cancelled = true;
      for (TaskRecord t : job.tasks) {
        apply(job, t, new TaskEvent.Cancel(reason));
      }
    });
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
    WorkerRecord w = new WorkerRecord(worker, loop.nanos());
    workers.put(d.id(), w);
    publishNow(w);
    worker.start(new WorkerContext(new LoopWorkerEvents(loop, this, d.id()), config.clock()));
  }

  void onReady(String workerId) {
    withWorker(
        workerId,
        w ->
            retrying(
                "the ready of " + workerId,
                () ->
                    atomically(() -> {
                      seen(w);
                      WorkerState before = w.state;
                      changeWorker(w, new WorkerEvent.Ready(), "ready");
                      if (before != w.state) {
                        w.failureStreak.clear();
                      }
                      requestDispatch();
                    })));
  }

  void onHeartbeat(String workerId) {
    withWorker(workerId, w -> w.lastSeenNanos = loop.nanos());
  }

  void onLost(String workerId, String reason) {
    withWorker(
        workerId,
        w -> retrying("the loss of " + workerId, () -> atomically(() -> loseWorker(w, reason))));
  }

  void onAccepted(String workerId, long token) {
    retrying(
        "the accept of token " + token,
        () -> onTaskEvent(workerId, token, new TaskEvent.Accept(token)));
  }

  void onProgress(String workerId, long token, TaskStatus phase) {
    TaskEvent e =
        phase == TaskStatus.UPLOADING ? new TaskEvent.Upload(token) : new TaskEvent.Start(token);
    retrying("the progress of token " + token, () -> onTaskEvent(workerId, token, e));
  }

  void onCompleted(String workerId, long token, AttemptReport report) {
    retrying("the result of token " + token, () -> complete(workerId, token, report));
  }

  private void complete(String workerId, long token, AttemptReport report) {
    TaskRecord t = findByToken(token).orElse(null);
    if (t == null) {
      ignored("result from " + workerId + " for unknown or stale token " + token);
      return;
    }
    JobRecord job = jobs.get(t.id.job());
    var verdict = Verdicts.judge(t.test, report);
    TaskEvent e = new TaskEvent.Complete(token, verdict.status(), verdict.reason());
    atomically(() -> {
      withWorker(workerId, this::seen);
      if (!TaskMachine.next(t.state, e).isIgnored()) {
        tx().touch(t);
        t.cases = verdict.cases();
        t.exitCode = Optional.of(report.exitCode());
        t.log = report.log();
        report.log().ifPresent(where -> keepLog(t, token, where));
      }
      apply(job, t, e);
    });
  }

  /**
   * Runs a step for a worker's reply or a timer; if the store refuses it, runs it again every
   * second, for up to ten minutes, so that no reply and no deadline is lost to a passing store
   * failure. The step reads the state afresh each time.
   */
  private void retrying(String what, Runnable step) {
    retrying(what, step, 0);
  }

  private void retrying(String what, Runnable step, int tries) {
    try {
      step.run();
    } catch (Steps.StoreFailedException e) {
      if (tries >= STORE_RETRIES) {
        log.error("{} is dropped after {} tries: {}", what, tries, e.getMessage());
        return;
      }
      if (tries == 0) {
        log.warn("{}; {} is tried again every second", e.getMessage(), what);
      }
      loop.schedule(Duration.ofSeconds(1), () -> retrying(what, step, tries + 1));
    }
  }

  private EventLoop.Timer schedule(Duration delay, Runnable action) {
    EventLoop.Timer timer = loop.schedule(delay, action);
    steps.scheduled(timer);
    return timer;
  }

  void onFailed(
      String workerId, long token, FailureKind kind, String reason, Optional<String> logPath) {
    retrying(
        "the failure of token " + token,
        () ->
            atomically(() -> {
              logPath.ifPresent(where ->
                  findByToken(token)
                      .ifPresent(t -> {
                        tx().touch(t);
                        keepLog(t, token, where);
                      }));
              onTaskEvent(workerId, token, new TaskEvent.Fail(token, kind.end(), reason, false));
            }));
  }

  void onReleased(String workerId, long token) {
    withWorker(
        workerId,
        w ->
            retrying(
                "the release of token " + token,
                () ->
                    atomically(() -> {
                      seen(w);
                      abortOver(w, token, "the worker says the aborted attempt is over");
                    })));
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
    Optional<TaskRecord> t = findByToken(token);
    if (t.isEmpty()) {
      withWorker(workerId, w -> w.lastSeenNanos = loop.nanos());
      ignored(
          e.getClass().getSimpleName()
              + " from "
              + workerId
              + " for unknown or stale token "
              + token);
      return;
    }
    atomically(() -> {
      withWorker(workerId, this::seen);
      apply(jobs.get(t.get().id.job()), t.get(), e);
    });
  }

  private void seen(WorkerRecord w) {
    tx().touch(w);
    w.lastSeenNanos = loop.nanos();
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

  /**
   * Takes a worker offline and retries what it held. A lost worker may still hold a device (a
   * partition, not a crash), so the resources of the attempt it held stay held for the abort grace,
   * as do those of an attempt it was still aborting.
   */
  private void loseWorker(WorkerRecord w, String reason) {
    tx().touch(w);
    changeWorker(w, new WorkerEvent.Lost(), reason);
    if (w.attempt != null && w.task != null) {
      long token = w.attempt.token();
      JobRecord j = jobs.get(w.task.job());
      TaskRecord t = j.tasks.get(w.task.index());
      apply(
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
    requestDispatch();
    scheduleUnroutableCheck();
  }

  private EventLoop.Timer abortGraceTimer(WorkerRecord w, long token) {
    return schedule(
        config.abortGrace(),
        () ->
            retrying(
                "the end of the abort grace of token " + token,
                () ->
                    atomically(() ->
                        abortOver(
                            w,
                            token,
                            "no word from the worker within the "
                                + config.abortGrace().toSeconds()
                                + "s abort grace"))));
  }

  /** Marks workers silent past the heartbeat timeout as lost; runs periodically. */
  public void checkHeartbeats() {
    long now = loop.nanos();
    long limit = config.heartbeatTimeout().toNanos();
    for (WorkerRecord w : List.copyOf(workers.values())) {
      if (w.state != WorkerState.OFFLINE && now - w.lastSeenNanos > limit) {
        String why = "no heartbeat for " + config.heartbeatTimeout().toSeconds() + "s";
        try {
          retrying("the loss of " + w.descriptor.id(), () -> atomically(() -> loseWorker(w, why)));
        } catch (RuntimeException e) {
          log.warn(
              "could not take silent worker {} offline; checking again later",
              w.descriptor.id(),
              e);
        }
      }
    }
  }

  /** Puts a quarantined worker back into rotation. */
  public void lift(String workerId) {
    withWorker(
        workerId,
        w ->
            atomically(() -> {
              tx().touch(w);
              w.failureStreak.clear();
              changeWorker(w, new WorkerEvent.Lift(), "lifted");
              requestDispatch();
            }));
  }

  /** Stops giving a worker work; it goes offline once its task is done. */
  public void drain(String workerId) {
    withWorker(
        workerId,
        w ->
            atomically(() -> {
              changeWorker(w, new WorkerEvent.Drain(), "draining");
              scheduleUnroutableCheck();
            }));
  }

  private void changeWorker(WorkerRecord w, WorkerEvent e, String reason) {
    WorkerState before = w.state;
    var tr = WorkerMachine.next(before, e);
    if (tr.ignored().isPresent()) {
      log.debug("worker {}: ignored {}", w.descriptor.id(), tr.ignored().get());
      return;
    }
    tx().touch(w);
    w.state = tr.next();
    later(() -> publishNow(w));
    if (before != w.state) {
      emit(
          new ProteusEvent.WorkerChanged(
              loop.now(), w.descriptor.id(), before, w.state, Optional.of(reason)));
    }
  }

  private void publishNow(WorkerRecord w) {
    snapshots.workers.put(
        w.descriptor.id(),
        new WorkerStatus(w.descriptor, w.state, Optional.ofNullable(w.task), w.tasksRun));
  }

  // ---- tasks ----

  private TaskTransition apply(JobRecord job, TaskRecord t, TaskEvent e) {
    return atomically(() -> applyIn(job, t, e));
  }

  private TaskTransition applyIn(JobRecord job, TaskRecord t, TaskEvent e) {
    TaskState before = t.state;
    TaskTransition tr = TaskMachine.next(before, e);
    if (tr.isIgnored()) {
      ignored("task " + t.id + ": " + tr.ignored().get());
      return tr;
    }
    tx().touch(t);
    tx().touch(job);
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
    steps.dirty(job);
    if (job.allFinal() && !job.status.isFinal()) {
      job.status = job.cancelled ? JobStatus.CANCELLED : JobStatus.COMPLETED;
      job.finished = Optional.of(loop.now());
      steps.toOutbox(job);
      later(() -> finished(job));
    }
    later(() -> {
      if (inFlight() == 0) {
        drained.complete(null);
      }
    });
    requestDispatch();
    return tr;
  }

  private void finished(JobRecord job) {
    JobResult result = snapshots.jobs.get(job.id);
    emit(new ProteusEvent.JobFinished(loop.now(), result));
    snapshots.completion(job.id).complete(result);
    onJobFinal.accept(job);
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
    EventLoop.Timer deadline = t.deadline;
    if (deadline != null) {
      t.deadline = null;
      later(deadline::cancel);
    }
    boolean failedToRun = end.end().retryable();
    boolean taskToBlame =
        failedToRun && t.failedOn.stream().anyMatch(id -> !id.equals(a.workerId()));
    if (failedToRun) {
      t.failedOn.add(a.workerId());
    }
    if (taskToBlame) {
      for (String id : t.failedOn) {
        WorkerRecord other = workers.get(id);
        if (other != null && other.failureStreak.contains(t.id)) {
          tx().touch(other);
          other.failureStreak.removeIf(t.id::equals);
        }
      }
    }
    WorkerRecord w = workers.get(a.workerId());
    if (w == null || w.attempt == null || w.attempt.token() != a.token()) {
      return;
    }
    tx().touch(w);
    w.task = null;
    w.attempt = null;
    if (end.end() == AttemptEnd.WORKER_LOST) {
      later(() -> publishNow(w));
      return;
    }
    boolean counts = failedToRun && !taskToBlame;
    if (abort) {
      AbortRequest request = new AbortRequest(t.id, a.token(), end.reason());
      later(() -> abortOnWorker(w, request));
      long token = a.token();
      EventLoop.Timer grace = abortGraceTimer(w, token);
      w.aborting =
          new WorkerRecord.Aborting(
              token, t.requirements.resources(), t.id, end.end(), counts, grace);
      later(() -> publishNow(w));
      return;
    }
    release(w, t.id, end.end(), counts);
  }

  private void abortOnWorker(WorkerRecord w, AbortRequest request) {
    try {
      w.link.abort(request);
    } catch (RuntimeException | Error e) {
      log.warn("worker {} failed to abort {}", w.descriptor.id(), request.task(), e);
    }
  }

  private void abortOver(WorkerRecord w, long token, String why) {
    WorkerRecord.Aborting ab = w.aborting;
    if (ab == null || ab.token() != token) {
      ignored("release of token " + token + " by " + w.descriptor.id() + ": not aborting it");
      return;
    }
    log.debug("worker {}: aborted attempt {} is over: {}", w.descriptor.id(), token, why);
    tx().touch(w);
    w.aborting = null;
    later(ab.grace()::cancel);
    if (w.attempt == null) {
      release(w, ab.task(), ab.end(), ab.counts() && !failedElsewhere(ab.task(), w));
    }
    requestDispatch();
  }

  /** Whether the task also could not run on another worker: then it is the task's fault. */
  private boolean failedElsewhere(TaskId task, WorkerRecord w) {
    JobRecord j = jobs.get(task.job());
    return j != null
        && j.tasks.get(task.index()).failedOn.stream()
            .anyMatch(id -> !id.equals(w.descriptor.id()));
  }

  private void release(WorkerRecord w, TaskId task, AttemptEnd end, boolean counts) {
    tx().touch(w);
    if (end == AttemptEnd.COMPLETED) {
      w.failureStreak.clear();
    } else if (counts && !w.failureStreak.contains(task)) {
      w.failureStreak.add(task);
    }
    boolean quarantine = w.failureStreak.size() >= config.quarantineAfter();
    changeWorker(w, new WorkerEvent.Release(end.retryable(), quarantine), end.name());
    if (w.state == WorkerState.QUARANTINED || w.state == WorkerState.OFFLINE) {
      if (quarantine) {
        log.warn(
            "worker {} quarantined: {} tasks in a row could not run on it: {}",
            w.descriptor.id(),
            w.failureStreak.size(),
            w.failureStreak);
      }
      scheduleUnroutableCheck();
    }
  }

  private void scheduleUnroutableCheck() {
    schedule(config.unroutableGrace(), this::failUnroutable);
  }

  private void failUnroutable() {
    long now = loop.nanos();
    long grace = config.unroutableGrace().toNanos();
    boolean skipped = false;
    List<WorkerRecord> present =
        workers.values().stream().filter(w -> w.state != WorkerState.OFFLINE).toList();
    for (JobRecord j : List.copyOf(jobs.values())) {
      if (j.status.isFinal()) {
        continue;
      }
      if (now - j.submittedNanos < grace) {
        skipped = true;
        continue;
      }
      for (TaskRecord t : j.tasks) {
        if (t.state instanceof TaskState.Queued) {
          Unroutable.why(t.requirements, present)
              .ifPresent(why -> {
                try {
                  apply(j, t, new TaskEvent.Unroutable(why));
                } catch (Steps.StoreFailedException e) {
                  log.warn("{}; task {} is checked again later", e.getMessage(), t.id);
                  scheduleUnroutableCheck();
                }
              });
        }
      }
    }
    if (skipped) {
      scheduleUnroutableCheck();
    }
  }

  // ---- routing ----

  /** Asks for one routing pass at the end of this loop turn. */
  public void requestDispatch() {
    later(() -> {
      if (!dispatchRequested) {
        dispatchRequested = true;
        loop.post(this::dispatch);
      }
    });
  }

  private void dispatch() {
    dispatchRequested = false;
    if (!accepting) {
      return;
    }
    List<Router.QueuedTask> queue = new ArrayList<>();
    Set<String> held = new HashSet<>();
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
    for (WorkerRecord w : workers.values()) {
      if (w.aborting != null) {
        held.addAll(w.aborting.resources());
      }
    }
    List<Router.IdleWorker> idle =
        workers.values().stream()
            .filter(w -> w.state == WorkerState.IDLE)
            .map(w -> new Router.IdleWorker(w.descriptor, w.lastAssigned, w.tasksRun))
            .toList();
    for (Router.Assignment a : Router.route(queue, idle, held, this::pool)) {
      JobRecord j = jobs.get(a.task().job());
      try {
        send(j, j.tasks.get(a.task().index()), workers.get(a.workerId()));
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
    return workers.values().stream()
        .filter(w -> w.state == WorkerState.IDLE || w.state == WorkerState.BUSY)
        .anyMatch(w ->
            !t.failedOn.contains(w.descriptor.id()) && t.requirements.servableBy(w.descriptor));
  }

  private Pool pool(String name) {
    return config.pools().getOrDefault(name, Pool.leastRecentlyUsed(name));
  }

  private void send(JobRecord j, TaskRecord t, WorkerRecord w) {
    atomically(() -> {
      long token = ++nextToken;
      Attempt attempt = new Attempt(t.state.attemptsUsed() + 1, token, w.descriptor.id());
      Instant now = loop.now();
      tx().touch(t);
      tx().touch(w);
      t.attempts.add(
          new AttemptRecord(
              attempt.number(), token, w.descriptor.id(), now, Optional.empty(), Optional.empty()));
      w.task = t.id;
      w.attempt = attempt;
      w.lastAssigned = now;
      w.tasksRun++;
      changeWorker(w, new WorkerEvent.Assign(), "assigned " + t.id);
      applyIn(j, t, new TaskEvent.Dispatch(attempt));
      Duration timeout = t.test.timeout().orElse(config.defaultTimeout());
      Duration lease = saturatedSum(timeout, config.leaseGrace());
      t.deadline =
          schedule(
              lease,
              () ->
                  retrying(
                      "the lease of token " + token,
                      () ->
                          apply(
                              j,
                              t,
                              new TaskEvent.Fail(
                                  token,
                                  AttemptEnd.TIMEOUT,
                                  "no result within " + lease.toSeconds() + "s",
                                  true))));
      DispatchRequest request =
          new DispatchRequest(t.id, attempt.number(), token, t.test, t.platform, j.files, timeout);
      later(() -> dispatchToWorker(j, t, w, request));
    });
  }

  private void dispatchToWorker(JobRecord j, TaskRecord t, WorkerRecord w, DispatchRequest r) {
    try {
      w.link.dispatch(r);
    } catch (RuntimeException | Error e) {
      log.warn("worker {} refused dispatch of {}", w.descriptor.id(), t.id, e);
      apply(
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
        abortOnWorker(w, new AbortRequest(w.task, w.attempt.token(), "core stopped"));
      }
      try {
        w.link.stop();
      } catch (RuntimeException | LinkageError e) {
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

  private void ignored(String what) {
    log.debug("ignored: {}", what);
    emit(new ProteusEvent.Ignored(loop.now(), what));
  }

  void emit(ProteusEvent event) {
    later(() -> {
      try {
        config.listener().onEvent(event);
      } catch (RuntimeException | Error e) {
        log.warn("a listener failed on {}", event.getClass().getSimpleName(), e);
      }
    });
  }
}
