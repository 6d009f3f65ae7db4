package io.proteus.core.internal.engine;

import io.proteus.core.internal.job.JobRecord;
import io.proteus.core.internal.job.TaskRecord;
import io.proteus.core.internal.loop.EventLoop;
import io.proteus.core.internal.task.Attempt;
import io.proteus.core.internal.task.TaskState;
import io.proteus.core.internal.worker.WorkerRecord;
import io.proteus.model.AttemptRecord;
import io.proteus.model.JobId;
import io.proteus.model.JobStatus;
import io.proteus.model.TaskId;
import io.proteus.model.TestCaseResult;
import io.proteus.model.WorkerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
  private final List<JobId> addedJobs = new ArrayList<>();
  private final List<EventLoop.Timer> timers = new ArrayList<>();

  /** Keeps what {@code t} is now, to restore it if the step fails. */
  void touch(TaskRecord t) {
    undo.computeIfAbsent(t, k -> taskUndo(t));
  }

  void touch(JobRecord j) {
    undo.computeIfAbsent(j, k -> jobUndo(j));
  }

  void touch(WorkerRecord w) {
    undo.computeIfAbsent(w, k -> workerUndo(w));
  }

  /** A job the step added; removed from {@code jobs} if the step fails. */
  void added(JobId id) {
    addedJobs.add(id);
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
  void rollBack(Map<JobId, JobRecord> jobs) {
    undo.values().forEach(Runnable::run);
    addedJobs.forEach(jobs::remove);
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
    return () -> {
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
    return () -> {
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
