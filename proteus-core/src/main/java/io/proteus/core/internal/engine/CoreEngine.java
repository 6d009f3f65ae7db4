package io.proteus.core.internal.engine;

import io.proteus.CoreStoppedException;
import io.proteus.ProteusException;
import io.proteus.core.internal.job.JobBook;
import io.proteus.core.internal.job.JobRecord;
import io.proteus.core.internal.job.TaskRecord;
import io.proteus.core.internal.loop.EventLoop;
import io.proteus.core.internal.task.Attempt;
import io.proteus.core.internal.task.TaskEvent;
import io.proteus.core.internal.task.TaskMachine;
import io.proteus.core.internal.task.TaskState;
import io.proteus.core.internal.task.TaskTransition;
import io.proteus.core.internal.worker.WorkerRecord;
import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.JobStatus;
import io.proteus.model.TaskId;
import io.proteus.model.WorkerState;
import io.proteus.spi.AbortRequest;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.ProteusEvent;
import io.proteus.spi.StoreResume;
import io.proteus.spi.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
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

  private final CoreConfig config;
  private final EventLoop loop;
  private final JobBook book = new JobBook();
  private final WorkerBook workers;
  private final Snapshots snapshots;
  private final LiveTails liveTails = new LiveTails();
  private final Consumer<JobRecord> onJobFinal;
  private final Supplier<String> suffixes;
  private long nextToken;
  private boolean accepting = true;
  private @Nullable CompletableFuture<Void> drained;
  private final Set<JobId> awaitingEviction = new HashSet<>();
  private final StoreWriter writer;
  private final Steps steps;
  private final WorkerReplies replies;
  private final Dispatcher dispatcher;
  private final QueueDeadlines queueDeadlines;

  public CoreEngine(CoreConfig config, EventLoop loop, Consumer<JobRecord> onJobFinal) {
    this(config, loop, onJobFinal, JobIds::shortId, Runnable::run);
  }

  /** An engine whose store writes run on {@code storeExecutor}, off the loop. */
  public CoreEngine(
      CoreConfig config,
      EventLoop loop,
      Consumer<JobRecord> onJobFinal,
      java.util.concurrent.Executor storeExecutor) {
    this(config, loop, onJobFinal, JobIds::shortId, storeExecutor);
  }

  /** An engine whose job-id suffixes come from {@code suffixes}; for tests of collisions. */
  CoreEngine(
      CoreConfig config,
      EventLoop loop,
      Consumer<JobRecord> onJobFinal,
      Supplier<String> suffixes,
      java.util.concurrent.Executor storeExecutor) {
    this.config = config;
    this.loop = loop;
    this.onJobFinal = onJobFinal;
    this.suffixes = suffixes;
    this.nextToken = config.clock().millis() * 1000;
    this.snapshots = new Snapshots(config.store());
    this.workers = new WorkerBook(this, loop);
    this.writer = new StoreWriter(config.store(), loop, storeExecutor, () -> nextToken);
    this.steps =
        new Steps(book, snapshots, writer, () -> workers.records().forEach(workers::publish));
    this.replies = new WorkerReplies(this, loop);
    this.dispatcher = new Dispatcher(this, loop);
    this.queueDeadlines =
        new QueueDeadlines(
            loop,
            t -> t.test.queueTimeout().or(config.timeouts()::queue),
            (t, why) -> apply(job(t.id.job()), t, new TaskEvent.QueueExpired(why)),
            this::later);
  }

  <T> T atomically(Supplier<T> step) {
    return steps.atomically(step);
  }

  void atomically(Runnable step) {
    steps.atomically(step);
  }

  void later(Runnable effect) {
    steps.later(effect);
  }

  Transaction tx() {
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
        book.add(job, tx()::onRollback);
        job.tasks.forEach(t -> queueDeadlines.queued(t, tx()::onRollback));
        tx().added(job);
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
      if (book.job(id).isEmpty() && config.store().find(id).isEmpty()) {
        return id;
      }
    }
    throw new ProteusException("could not find a free job id for " + stem + "* in 100 tries");
  }

  /** Cancels a job: queued tasks are cancelled, running ones aborted. */
  public boolean cancel(JobId id, String reason) {
    JobRecord job = book.job(id).orElse(null);
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

  /** Marks a job changed outside a task transition, so the step writes it. */
  void changed(JobRecord job) {
    steps.dirty(job);
  }

  /** The job with this id, if the core holds it. */
  JobRecord job(JobId id) {
    return book.job(id).orElseThrow(() -> new IllegalStateException("no job " + id));
  }

  /** The jobs and their indexes. */
  JobBook book() {
    return book;
  }

  /** The queue-wait deadlines of the queued tasks. */
  QueueDeadlines queueDeadlines() {
    return queueDeadlines;
  }

  /** The published, thread-safe views of jobs and workers. */
  /** The live tails of the tasks that printed while they ran. */
  public LiveTails liveTails() {
    return liveTails;
  }

  public Snapshots snapshots() {
    return snapshots;
  }

  // ---- workers ----

  /** The workers and their lifecycle. */
  WorkerBook workers() {
    return workers;
  }

  /** Registers and starts a worker. */
  public void addWorker(Worker worker) {
    workers.add(worker);
  }

  /**
   * An agent said hello through the transport {@code via}: joins it as a new worker, or as the
   * worker of that id on a new link. Returns the attempts it holds that the core does not run on it
   * (to abort), or empty when the id is taken by a worker that did not join through {@code via}.
   */
  public Optional<Set<Long>> join(Worker link, Set<Long> held, Object via) {
    return workers.join(link, held, via);
  }

  /**
   * Whether the worker {@code id} is offline though nobody drained it: an agent that still speaks
   * then is asked to join again.
   */
  public boolean lostWorker(String id) {
    WorkerRecord w = workers.get(id);
    return w != null && w.state == WorkerState.OFFLINE && !w.drained;
  }

  /** Runs {@code action} on the loop once every change made so far is in the store. */
  public void afterStored(Runnable action) {
    writer.afterStored(action);
  }

  void redispatch(JobRecord j, TaskRecord t, WorkerRecord w, io.proteus.spi.DispatchRequest r) {
    dispatcher.dispatchToWorker(j, t, w, r);
  }

  /** Marks workers silent past the heartbeat timeout as lost; runs periodically. */
  public void checkHeartbeats() {
    workers.checkHeartbeats();
  }

  /** Puts a quarantined worker back into rotation; whether it was quarantined. */
  public boolean release(String workerId, io.proteus.model.Quarantine.Decider by) {
    return workers.unquarantine(workerId, by);
  }

  /** Takes a worker out of rotation; whether it was in rotation. */
  public boolean quarantine(
      String workerId, String reason, io.proteus.model.Quarantine.Decider by) {
    return workers.quarantine(workerId, reason, by);
  }

  /**
   * Stops giving a worker work; completes once it is offline. Its attempt is handed back once
   * {@code deadline} passes (never when null).
   */
  public CompletableFuture<Void> drain(String workerId, @Nullable Duration deadline) {
    return workers.drain(workerId, deadline);
  }

  /** Aborts every live attempt and stops every worker. */
  public void shutdownWorkers() {
    workers.shutdown();
  }

  EventLoop.Timer schedule(Duration delay, Runnable action) {
    EventLoop.Timer timer = loop.schedule(delay, action);
    steps.scheduled(timer);
    return timer;
  }

  /** The task of a held job still running whose attempt carries {@code token}. */
  Optional<TaskRecord> findByToken(long token) {
    return book.byToken(token).filter(t -> !job(t.id.job()).status.isFinal());
  }

  // ---- tasks ----

  TaskTransition apply(JobRecord job, TaskRecord t, TaskEvent e) {
    return atomically(() -> applyIn(job, t, e));
  }

  TaskTransition applyIn(JobRecord job, TaskRecord t, TaskEvent e) {
    TaskState before = t.state;
    TaskTransition tr = TaskMachine.next(before, e);
    if (tr.isIgnored()) {
      ignored("task " + t.id + ": " + tr.ignored().get());
      return tr;
    }
    tx().touch(t);
    tx().touch(job);
    t.state = tr.next();
    book.statusChanged(job, t, before.status(), t.state.status(), tx()::onRollback);
    queueDeadlines.statusChanged(t, before.status(), t.state.status(), tx()::onRollback);
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
    finishIfAllFinal(job);
    later(this::completeDrainedIfIdle);
    requestDispatch();
    return tr;
  }

  private void finishIfAllFinal(JobRecord job) {
    if (job.allFinal() && !job.status.isFinal()) {
      job.status = job.cancelled ? JobStatus.CANCELLED : JobStatus.COMPLETED;
      job.finished = Optional.of(loop.now());
      steps.dirty(job);
      steps.toOutbox(job, () -> finished(job));
    }
  }

  /**
   * Takes over the unfinished jobs a store kept, each as its last write left it: queued tasks
   * queue, finished ones stay finished, and a live attempt waits for its worker (see {@link
   * WorkerBook#awaitAgain}) under its deadline. Tokens handed out from now on are larger than any
   * stored. A job whose stored form does not match its plan is left in the store, with an error
   * logged. Call once, before any worker or adapter is added. Returns the jobs taken over.
   */
  public List<JobRecord> resume(
      StoreResume stored, Function<StoreResume.ResumedJob, BuildFiles> filesOf) {
    nextToken = Math.max(nextToken, Recovery.highestToken(stored.jobs(), stored.lastToken()));
    List<JobRecord> out = new ArrayList<>();
    int live = 0;
    for (StoreResume.ResumedJob rj : stored.jobs()) {
      JobId id = rj.job().id();
      if (book.job(id).isPresent()) {
        log.error("the store lists job {} twice; the second is not resumed", id);
        continue;
      }
      Recovery.Rebuilt rebuilt;
      try {
        rebuilt = Recovery.rebuild(rj, filesOf.apply(rj));
      } catch (RuntimeException e) {
        log.error(
            "job {} cannot be resumed ({}); it stays in the store as it is", id, e.getMessage());
        continue;
      }
      live += rebuilt.live().size();
      atomically(() -> takeOver(rebuilt));
      out.add(rebuilt.job());
    }
    if (!out.isEmpty()) {
      log.info(
          "resumed {} jobs from the store; {} attempts wait for their workers", out.size(), live);
      scheduleUnroutableCheck();
      requestDispatch();
    }
    return out;
  }

  private void takeOver(Recovery.Rebuilt rebuilt) {
    JobRecord job = rebuilt.job();
    job.submittedNanos = loop.nanos();
    book.restore(job, tx()::onRollback);
    for (TaskRecord t : job.tasks) {
      if (t.state instanceof TaskState.Queued) {
        queueDeadlines.queued(t, tx()::onRollback);
      }
    }
    for (var e : rebuilt.live().entrySet()) {
      TaskRecord t = e.getKey();
      Attempt a = e.getValue();
      if (workers.awaitAgain(a.workerId(), t, a)) {
        dispatcher.armDeadline(job, t, a.token());
      } else {
        applyIn(
            job,
            t,
            new TaskEvent.Fail(
                a.token(),
                AttemptEnd.WORKER_LOST,
                "the core restarted; worker " + a.workerId() + " held another attempt",
                false));
      }
    }
    snapshots.jobs.put(job.id, job.snapshot());
    finishIfAllFinal(job);
  }

  void completeDrainedIfIdle() {
    CompletableFuture<Void> d = drained;
    if (d != null && book.inFlightCount() == 0 && !workers.anyAborting()) {
      d.complete(null);
    }
  }

  private void finished(JobRecord job) {
    JobResult result = job.snapshot();
    emit(new ProteusEvent.JobFinished(loop.now(), result));
    snapshots.completed(result);
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
                end.end(),
                end.reason().isEmpty() ? Optional.empty() : Optional.of(end.reason()),
                loop.now()));
      }
    }
    EventLoop.Timer deadline = t.deadline;
    if (deadline != null) {
      t.deadline = null;
      later(deadline::cancel);
    }
    boolean failedToRun = end.end().retryable() && end.retryable();
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
      later(() -> workers.publish(w));
      return;
    }
    boolean counts = failedToRun && !taskToBlame;
    if (abort) {
      AbortRequest request = new AbortRequest(t.id, a.token(), end.reason());
      later(() -> workers.abort(w, request));
      long token = a.token();
      EventLoop.Timer grace = workers.abortGraceTimer(w, token, config.cancelGrace(t.test));
      w.aborting =
          new WorkerRecord.Aborting(
              token, t.requirements.resources(), t.id, end.end(), counts, grace);
      later(() -> workers.publish(w));
      return;
    }
    workers.release(w, t.id, end.end(), counts);
  }

  /**
   * Forgets a final job its adapter has taken, once no worker still aborts one of its attempts: it
   * is read from the store from then on.
   */
  public void delivered(JobId id) {
    awaitingEviction.add(id);
    evictIfDone(id);
  }

  void evictIfDone(JobId id) {
    if (!awaitingEviction.contains(id)) {
      return;
    }
    for (WorkerRecord w : workers.records()) {
      if (w.aborting != null && w.aborting.task().job().equals(id)) {
        return;
      }
    }
    awaitingEviction.remove(id);
    book.evict(id);
    snapshots.evict(id);
    liveTails.forget(id);
  }

  void scheduleUnroutableCheck() {
    schedule(config.unroutableGrace(), this::failUnroutable);
  }

  private void failUnroutable() {
    long now = loop.nanos();
    long grace = config.unroutableGrace().toNanos();
    boolean skipped = false;
    List<WorkerRecord> present =
        java.util.stream.StreamSupport.stream(workers.records().spliterator(), false)
            .filter(w -> w.state != WorkerState.OFFLINE)
            .toList();
    for (var group : book.queueGroups()) {
      Optional<String> why = Unroutable.why(group.firstEntry().getValue().requirements, present);
      if (why.isEmpty()) {
        continue;
      }
      for (TaskRecord t : List.copyOf(group.values())) {
        JobRecord j = job(t.id.job());
        if (now - j.submittedNanos < grace) {
          skipped = true;
          continue;
        }
        apply(j, t, new TaskEvent.Unroutable(why.get()));
      }
    }
    if (skipped) {
      scheduleUnroutableCheck();
    }
  }

  // ---- routing ----

  /** Asks for one routing pass at the end of this loop turn. */
  public void requestDispatch() {
    dispatcher.requestDispatch();
  }

  boolean accepting() {
    return accepting;
  }

  long nextToken() {
    return ++nextToken;
  }

  Iterable<JobRecord> jobRecords() {
    return book.jobs();
  }

  WorkerReplies replies() {
    return replies;
  }

  CoreConfig config() {
    return config;
  }

  // ---- lifecycle and bookkeeping ----

  /** Stops dispatching; the future completes once no task is in flight. */
  public CompletableFuture<Void> stopAccepting() {
    accepting = false;
    if (drained == null) {
      drained = new CompletableFuture<>();
    }
    CompletableFuture<Void> d = drained;
    completeDrainedIfIdle();
    return d.thenCompose(v -> writer.idle());
  }

  /** Completes once every change so far is in the store. */
  public CompletableFuture<Void> storeIdle() {
    return writer.idle();
  }

  /** Tasks a worker holds or has been sent. */
  public long inFlight() {
    return book.inFlightCount();
  }

  /** Loads a job the store kept (a finished one waiting in the outbox) so it can be delivered. */
  public void restoreSnapshot(JobResult job) {
    snapshots.jobs.put(job.id(), job);
    snapshots.completed(job);
  }

  void ignored(String what) {
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
