package io.proteus.core.internal.engine;

import io.proteus.core.internal.job.JobRecord;
import io.proteus.core.internal.job.TaskRecord;
import io.proteus.core.internal.loop.EventLoop;
import io.proteus.core.internal.task.TaskState;
import io.proteus.model.JobId;
import io.proteus.spi.JobStore;
import io.proteus.spi.StoreBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the core's changes to its {@link JobStore} behind the loop: the loop marks jobs as they
 * change, and the writer takes every job marked since its last write as one {@link StoreBatch},
 * writes it on its own executor, and tells the loop when it is stored. A job marked many times
 * between two writes is written once, in its latest state. A batch the store refuses is written
 * again every second, merged with what changed meanwhile, until it succeeds; what must wait for the
 * store (a finished job's delivery) waits for it. The marks and callbacks run on the loop.
 */
final class StoreWriter {
  private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
  static final Duration RETRY = Duration.ofSeconds(1);

  private final JobStore store;
  private final EventLoop loop;
  private final Executor executor;
  private final LongSupplier lastToken;
  private Map<JobId, Pending> pending = new LinkedHashMap<>();
  private boolean writing;
  private boolean flushPosted;
  private boolean failing;
  private @Nullable CompletableFuture<Void> idle;
  private List<Runnable> waiters = new ArrayList<>();
  private @Nullable Written inFlight;

  private static final class Pending {
    final JobRecord job;
    final Set<Integer> changed = new LinkedHashSet<>();
    boolean toOutbox;
    final List<Runnable> afterStored = new ArrayList<>();

    Pending(JobRecord job) {
      this.job = job;
    }
  }

  private record Written(StoreBatch batch, Map<JobId, Pending> marks, List<Runnable> waiters) {}

  StoreWriter(JobStore store, EventLoop loop, Executor executor, LongSupplier lastToken) {
    this.store = store;
    this.loop = loop;
    this.executor = executor;
    this.lastToken = lastToken;
  }

  /** Marks a job changed: its tasks {@code changed} changed; written with the next batch. */
  void mark(JobRecord job, Iterable<TaskRecord> changed) {
    Pending p = pending.computeIfAbsent(job.id, k -> new Pending(job));
    changed.forEach(t -> p.changed.add(t.id.index()));
    flushSoon();
  }

  /** Marks a job final: it enters the outbox with its write, and then {@code after} runs. */
  void markFinal(JobRecord job, Runnable after) {
    Pending p = pending.computeIfAbsent(job.id, k -> new Pending(job));
    p.toOutbox = true;
    p.afterStored.add(after);
    flushSoon();
  }

  /** Writes a new job at once, on the calling thread, before anyone learns of it. */
  void writeNow(JobRecord job) {
    store.write(new StoreBatch(List.of(stored(job, job.tasks, false)), lastToken.getAsLong()));
  }

  /** Completes once nothing is waiting to be written. */
  CompletableFuture<Void> idle() {
    if (pending.isEmpty() && !writing) {
      return CompletableFuture.completedFuture(null);
    }
    if (idle == null) {
      idle = new CompletableFuture<>();
    }
    return idle;
  }

  /**
   * Runs {@code action} once every change marked so far is stored: at once when nothing waits, else
   * after the write that takes it. On the loop.
   */
  void afterStored(Runnable action) {
    Written w = inFlight;
    if (!pending.isEmpty() || (failing && w == null)) {
      waiters.add(action);
    } else if (w != null) {
      w.waiters().add(action);
    } else {
      action.run();
    }
  }

  /** How many jobs wait to be written. */
  int backlog() {
    return pending.size();
  }

  private void flushSoon() {
    if (!flushPosted && !writing && !failing) {
      flushPosted = true;
      loop.post(this::flush);
    }
  }

  private void flush() {
    flushPosted = false;
    if (writing || pending.isEmpty()) {
      return;
    }
    Map<JobId, Pending> marks = pending;
    pending = new LinkedHashMap<>();
    List<Runnable> waiting = waiters;
    waiters = new ArrayList<>();
    List<StoreBatch.StoredJob> jobs = new ArrayList<>(marks.size());
    for (Pending p : marks.values()) {
      List<TaskRecord> changed = new ArrayList<>(p.changed.size());
      p.changed.forEach(i -> changed.add(p.job.tasks.get(i)));
      jobs.add(stored(p.job, changed, p.toOutbox));
    }
    Written w = new Written(new StoreBatch(jobs, lastToken.getAsLong()), marks, waiting);
    writing = true;
    inFlight = w;
    try {
      executor.execute(() -> write(w));
    } catch (RuntimeException e) {
      loop.post(() -> written(w, e));
    }
  }

  private void write(Written w) {
    RuntimeException failure = null;
    try {
      store.write(w.batch());
    } catch (RuntimeException e) {
      failure = e;
    }
    RuntimeException f = failure;
    loop.post(() -> written(w, f));
  }

  private void written(Written w, @Nullable RuntimeException failure) {
    writing = false;
    inFlight = null;
    if (failure != null) {
      w.waiters().addAll(waiters);
      waiters = w.waiters();
      if (!failing) {
        log.warn(
            "the job store failed to write {} jobs ({}); writing again every second",
            w.marks().size(),
            failure.toString());
      }
      failing = true;
      Map<JobId, Pending> merged = w.marks();
      pending.forEach((id, newer) -> {
        Pending older = merged.get(id);
        if (older == null) {
          merged.put(id, newer);
        } else {
          older.changed.addAll(newer.changed);
          older.toOutbox |= newer.toOutbox;
          older.afterStored.addAll(newer.afterStored);
        }
      });
      pending = merged;
      loop.schedule(RETRY, this::retry);
      return;
    }
    if (failing) {
      log.info("the job store writes again");
      failing = false;
    }
    List<Runnable> after = new ArrayList<>();
    w.marks().values().forEach(p -> after.addAll(p.afterStored));
    after.addAll(w.waiters());
    for (Runnable r : after) {
      try {
        r.run();
      } catch (RuntimeException | Error e) {
        log.warn("a step waiting for the store failed; the core goes on", e);
      }
    }
    if (!pending.isEmpty()) {
      flushSoon();
    } else if (idle != null) {
      CompletableFuture<Void> done = idle;
      idle = null;
      done.complete(null);
    }
  }

  private void retry() {
    failing = false;
    flushSoon();
  }

  private static StoreBatch.StoredJob stored(
      JobRecord job, List<TaskRecord> changed, boolean toOutbox) {
    List<StoreBatch.TaskLease> leases = new ArrayList<>(changed.size());
    for (TaskRecord t : changed) {
      leases.add(new StoreBatch.TaskLease(t.id.index(), liveToken(t.state), t.failedOn));
    }
    return new StoreBatch.StoredJob(job.snapshot(), job.files, leases, toOutbox);
  }

  private static Optional<Long> liveToken(TaskState s) {
    return switch (s) {
      case TaskState.Queued q -> Optional.empty();
      case TaskState.Done d -> Optional.empty();
      case TaskState.Dispatched d -> Optional.of(d.attempt().token());
      case TaskState.Loading l -> Optional.of(l.attempt().token());
      case TaskState.Running r -> Optional.of(r.attempt().token());
      case TaskState.Uploading u -> Optional.of(u.attempt().token());
    };
  }
}
