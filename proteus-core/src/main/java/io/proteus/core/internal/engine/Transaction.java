package io.proteus.core.internal.engine;

import io.proteus.core.internal.job.JobRecord;
import io.proteus.core.internal.job.TaskRecord;
import io.proteus.core.internal.loop.EventLoop;
import io.proteus.core.internal.task.Attempt;
import io.proteus.core.internal.task.TaskState;
import io.proteus.core.internal.worker.WorkerRecord;
import io.proteus.model.AttemptRecord;
import io.proteus.model.JobStatus;
import io.proteus.model.TaskId;
import io.proteus.model.TestCaseResult;
import io.proteus.model.WorkerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Makes one step of the core all-or-nothing: each record is copied before its first change, and
 * everything the step does to the world (events, calls to workers, timers, completions) waits until
 * the step has succeeded, store write included. A step that throws leaves every record as it was.
 */
final class Transaction {
  private final IdentityHashMap<Object, Runnable> undo = new IdentityHashMap<>();
  private final List<Runnable> effects = new ArrayList<>();
  private final List<JobRecord> addedJobs = new ArrayList<>();
  private final List<EventLoop.Timer> timers = new ArrayList<>();
  private final List<Runnable> indexUndo = new ArrayList<>();
  private final List<TaskRecord> touchedTasks = new ArrayList<>();

  /** Keeps what {@code t} is now, to restore it if the step fails. */
  void touch(TaskRecord t) {
    undo.computeIfAbsent(
        t,
        k -> {
          touchedTasks.add(t);
          return taskUndo(t);
        });
  }

  /** The tasks the step touched, in the order it first touched them. */
  List<TaskRecord> touchedTasks() {
    return touchedTasks;
  }

  /** The inverse of a change to an index; a rollback runs these newest first. */
  void onRollback(Runnable inverse) {
    indexUndo.add(inverse);
  }

  void touch(JobRecord j) {
    undo.computeIfAbsent(j, k -> jobUndo(j));
  }

  void touch(WorkerRecord w) {
    undo.computeIfAbsent(w, k -> workerUndo(w));
  }

  /** A job the step added: it is written to the store before the step ends. */
  void added(JobRecord job) {
    addedJobs.add(job);
  }

  /** The jobs the step added. */
  List<JobRecord> addedJobs() {
    return addedJobs;
  }

  /** A timer the step set; a rollback cancels it. */
  void scheduled(EventLoop.Timer timer) {
    timers.add(timer);
  }

  /** Something to do once the step has succeeded. */
  void later(Runnable effect) {
    effects.add(effect);
  }

  List<Runnable> effects() {
    return effects;
  }

  /** Puts every touched record back and forgets the effects. */
  void rollBack() {
    for (int i = indexUndo.size() - 1; i >= 0; i--) {
      indexUndo.get(i).run();
    }
    undo.values().forEach(Runnable::run);
    timers.forEach(EventLoop.Timer::cancel);
    effects.clear();
  }

  private static Runnable taskUndo(TaskRecord t) {
    TaskState state = t.state;
    List<AttemptRecord> attempts = List.copyOf(t.attempts);
    Set<String> failedOn = Set.copyOf(t.failedOn);
    List<TestCaseResult> cases = t.cases;
    Optional<Integer> exitCode = t.exitCode;
    Optional<String> log = t.log;
    Optional<String> reason = t.reason;
    EventLoop.@Nullable Timer deadline = t.deadline;
    return () -> {
      t.state = state;
      t.attempts.clear();
      t.attempts.addAll(attempts);
      t.failedOn.clear();
      t.failedOn.addAll(failedOn);
      t.cases = cases;
      t.exitCode = exitCode;
      t.log = log;
      t.reason = reason;
      t.deadline = deadline;
    };
  }

  private static Runnable jobUndo(JobRecord j) {
    JobStatus status = j.status;
    Optional<Instant> finished = j.finished;
    boolean cancelled = j.cancelled;
    int finalCount = j.finalCount;
    return () -> {
      j.finalCount = finalCount;
      j.status = status;
      j.finished = finished;
      j.cancelled = cancelled;
    };
  }

  private static Runnable workerUndo(WorkerRecord w) {
    WorkerState state = w.state;
    long lastSeen = w.lastSeenNanos;
    Instant lastAssigned = w.lastAssigned;
    long tasksRun = w.tasksRun;
    List<TaskId> streak = List.copyOf(w.failureStreak);
    @Nullable TaskId task = w.task;
    @Nullable Attempt attempt = w.attempt;
    WorkerRecord.@Nullable Aborting aborting = w.aborting;
    io.proteus.spi.Worker link = w.link;
    io.proteus.model.WorkerDescriptor descriptor = w.descriptor;
    boolean drained = w.drained;
    io.proteus.model.@Nullable Quarantine quarantine = w.quarantine;
    io.proteus.core.internal.loop.EventLoop.@Nullable Timer drainDeadline = w.drainDeadline;
    return () -> {
      w.quarantine = quarantine;
      w.drainDeadline = drainDeadline;
      w.link = link;
      w.descriptor = descriptor;
      w.drained = drained;
      w.state = state;
      w.lastSeenNanos = lastSeen;
      w.lastAssigned = lastAssigned;
      w.tasksRun = tasksRun;
      w.failureStreak.clear();
      w.failureStreak.addAll(streak);
      w.task = task;
      w.attempt = attempt;
      w.aborting = aborting;
    };
  }
}
