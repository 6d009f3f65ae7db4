package io.proteus.core.internal.engine;

import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.WorkerStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Immutable snapshots of jobs and workers the loop publishes after each change, so any thread can
 * read them without touching the loop's state.
 */
public final class Snapshots {
  final Map<JobId, JobResult> jobs = new ConcurrentHashMap<>();
  final Map<String, WorkerStatus> workers = new ConcurrentHashMap<>();
  private final Map<JobId, CompletableFuture<JobResult>> completions = new ConcurrentHashMap<>();

  /** A future that completes with the job's result when it is final. */
  public CompletableFuture<JobResult> completion(JobId id) {
    CompletableFuture<JobResult> f =
        completions.computeIfAbsent(id, k -> new CompletableFuture<>());
    JobResult snap = jobs.get(id);
    if (snap != null && snap.status().isFinal()) {
      f.complete(snap);
    }
    return f;
  }

  /** The job's latest snapshot. */
  public Optional<JobResult> job(JobId id) {
    return Optional.ofNullable(jobs.get(id));
  }

  /** Every job, oldest first. */
  public List<JobResult> jobs() {
    return jobs.values().stream()
        .sorted(Comparator.comparing(JobResult::submitted).thenComparing(j -> j.id().value()))
        .toList();
  }

  /** Every worker, by id. */
  public List<WorkerStatus> workers() {
    return workers.values().stream()
        .sorted(Comparator.comparing(w -> w.descriptor().id()))
        .toList();
  }
}
