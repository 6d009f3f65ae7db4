package io.proteus.core.internal.engine;

import io.proteus.ProteusException;
import io.proteus.core.internal.job.JobRecord;
import io.proteus.core.internal.loop.EventLoop;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.spi.JobStore;
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
 * Runs the core's steps all-or-nothing: a step's records are copied before they change (see {@link
 * Transaction}), the jobs it changed are written to the store when it ends, and only then do its
 * effects run. A step that throws, store write included, is rolled back and rethrown. Loop thread
 * only.
 */
final class Steps {
  private static final Logger log = LoggerFactory.getLogger(Steps.class);

  private final JobStore store;
  private final Map<JobId, JobRecord> jobs;
  private final Snapshots snapshots;
  private final Runnable republishWorkers;
  private final Set<JobRecord> dirty = new LinkedHashSet<>();
  private final Set<JobRecord> finals = new LinkedHashSet<>();
  private @Nullable Transaction tx;

  Steps(
      JobStore store, Map<JobId, JobRecord> jobs, Snapshots snapshots, Runnable republishWorkers) {
    this.store = store;
    this.jobs = jobs;
    this.snapshots = snapshots;
    this.republishWorkers = republishWorkers;
  }

  /** Thrown when the job store refuses a write; the step that needed it was rolled back. */
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
      commit();
    } catch (RuntimeException | Error e) {
      tx = null;
      t.rollBack(jobs);
      List<JobRecord> written = List.copyOf(dirty);
      dirty.clear();
      finals.clear();
      restoreStored(written);
      republishWorkers.run();
      throw e;
    }
    tx = null;
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

  /** Marks a job that became final: it goes to the store's outbox with the step's writes. */
  void toOutbox(JobRecord job) {
    finals.add(job);
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

  private void commit() {
    List<JobResult> saved = new java.util.ArrayList<>();
    for (JobRecord job : dirty) {
      JobResult snap = job.snapshot();
      try {
        store.save(snap);
      } catch (RuntimeException e) {
        throw new StoreFailedException(
            "the job store failed to save job " + job.id + ": " + e.getMessage(), e);
      }
      saved.add(snap);
    }
    for (JobRecord job : finals) {
      try {
        store.addToOutbox(job.id);
      } catch (RuntimeException e) {
        throw new StoreFailedException(
            "the job store failed to put job " + job.id + " in the outbox: " + e.getMessage(), e);
      }
    }
    saved.forEach(snap -> snapshots.jobs.put(snap.id(), snap));
  }

  private void restoreStored(List<JobRecord> written) {
    for (JobRecord job : written) {
      if (!jobs.containsKey(job.id)) {
        snapshots.jobs.remove(job.id);
        continue;
      }
      JobResult snap = job.snapshot();
      snapshots.jobs.put(job.id, snap);
      try {
        store.save(snap);
      } catch (RuntimeException e) {
        log.debug("could not put job {} back in the store: {}", job.id, e.getMessage());
      }
    }
  }
}
