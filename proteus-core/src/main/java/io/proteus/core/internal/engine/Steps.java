package io.proteus.core.internal.engine;

import io.proteus.ProteusException;
import io.proteus.core.internal.job.JobBook;
import io.proteus.core.internal.job.JobRecord;
import io.proteus.core.internal.job.TaskRecord;
import io.proteus.core.internal.loop.EventLoop;
import io.proteus.model.JobId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the core's steps all-or-nothing: a step's records and indexes are copied before they change
 * (see {@link Transaction}); when it ends, the tasks it touched are published and the jobs it
 * changed are handed to the {@link StoreWriter}; only then do its effects run. A step that throws
 * is rolled back and rethrown. A new job is written to the store before its step ends, so a submit
 * the store refuses takes nothing. Loop thread only.
 */
final class Steps {
  private static final Logger log = LoggerFactory.getLogger(Steps.class);

  private final JobBook book;
  private final Snapshots snapshots;
  private final StoreWriter writer;
  private final Runnable republishWorkers;
  private final Set<JobRecord> dirty = new LinkedHashSet<>();
  private final Map<JobRecord, Runnable> finals = new LinkedHashMap<>();
  private @Nullable Transaction tx;

  Steps(JobBook book, Snapshots snapshots, StoreWriter writer, Runnable republishWorkers) {
    this.book = book;
    this.snapshots = snapshots;
    this.writer = writer;
    this.republishWorkers = republishWorkers;
  }

  /** Thrown when the job store refuses a new job; the step that added it was rolled back. */
  static final class StoreFailedException extends ProteusException {
    private static final long serialVersionUID = 1L;

    StoreFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Runs {@code step} as one step, or as part of the step already running. */
  <T> T atomically(Supplier<T> step) {
    if (tx != null) {
      return step.get();
    }
    Transaction t = new Transaction();
    tx = t;
    T value;
    try {
      value = step.get();
      storeNewJobs(t);
    } catch (RuntimeException | Error e) {
      tx = null;
      t.rollBack();
      dirty.clear();
      finals.clear();
      republishWorkers.run();
      throw e;
    }
    tx = null;
    publish(t);
    dirty.clear();
    finals.clear();
    for (Runnable effect : t.effects()) {
      try {
        effect.run();
      } catch (RuntimeException | Error e) {
        log.warn("an effect of a core step failed; the core goes on", e);
      }
    }
    return value;
  }

  void atomically(Runnable step) {
    atomically(() -> {
      step.run();
      return null;
    });
  }

  /**
   * Marks a job that became final: it enters the store's outbox with its write, and {@code
   * afterStored} runs once that write is durable.
   */
  void toOutbox(JobRecord job, Runnable afterStored) {
    finals.put(job, afterStored);
  }

  /** A timer the step set: cancelled if the step is rolled back. */
  void scheduled(EventLoop.Timer timer) {
    Transaction t = tx;
    if (t != null) {
      t.scheduled(timer);
    }
  }

  /** Marks a job for writing when the step ends. */
  void dirty(JobRecord job) {
    dirty.add(job);
  }

  /** Runs {@code effect} once the step has succeeded; at once outside a step. */
  void later(Runnable effect) {
    Transaction t = tx;
    if (t == null) {
      effect.run();
    } else {
      t.later(effect);
    }
  }

  /** The running step's transaction. */
  Transaction tx() {
    return Objects.requireNonNull(tx, "a core step runs inside atomically()");
  }

  private void storeNewJobs(Transaction t) {
    for (JobRecord job : t.addedJobs()) {
      try {
        writer.writeNow(job);
      } catch (RuntimeException e) {
        throw new StoreFailedException(
            "the job store failed to save job " + job.id + ": " + e.getMessage(), e);
      }
    }
  }

  private void publish(Transaction t) {
    Map<JobId, List<TaskRecord>> touched = new LinkedHashMap<>();
    for (TaskRecord task : t.touchedTasks()) {
      book.job(task.id.job())
          .ifPresent(job -> {
            job.refresh(task);
            touched.computeIfAbsent(job.id, k -> new ArrayList<>()).add(task);
            dirty.add(job);
          });
    }
    Set<JobRecord> added = new LinkedHashSet<>(t.addedJobs());
    for (JobRecord job : dirty) {
      snapshots.jobs.put(job.id, job.snapshot());
      if (!added.contains(job) || touched.containsKey(job.id)) {
        writer.mark(job, touched.getOrDefault(job.id, List.of()));
      }
    }
    finals.forEach(writer::markFinal);
  }
}
