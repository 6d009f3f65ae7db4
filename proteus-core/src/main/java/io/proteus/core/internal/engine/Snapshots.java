package io.proteus.core.internal.engine;

import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.WorkerStatus;
import io.proteus.spi.JobStore;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Immutable snapshots of jobs and workers the loop publishes after each change, so any thread can
 * read them without touching the loop's state. A finished job its adapter has taken is dropped from
 * here and read from the store instead.
 */
public final class Snapshots {
  final Map<JobId, JobResult> jobs = new ConcurrentHashMap<>();
  final Map<String, WorkerStatus> workers = new ConcurrentHashMap<>();
  private final Map<JobId, CompletableFuture<JobResult>> completions = new ConcurrentHashMap<>();
  private final JobStore store;

  Snapshots(JobStore store) {
    this.store = store;
  }

  /**
   * A future that completes with the job's result once it is final and stored; a job the core still
   * holds completes when the loop reports it, any other from the store.
   */
  public CompletableFuture<JobResult> completion(JobId id) {
    CompletableFuture<JobResult> f =
        completions.computeIfAbsent(id, k -> new CompletableFuture<>());
    if (!jobs.containsKey(id)) {
      store.find(id).filter(j -> j.status().isFinal()).ifPresent(f::complete);
    }
    return f;
  }

  /** Completes the job's future; loop thread. */
  void completed(JobResult result) {
    completions.computeIfAbsent(result.id(), k -> new CompletableFuture<>()).complete(result);
  }

  /** Drops a delivered job; it is read from the store from now on. */
  void evict(JobId id) {
    jobs.remove(id);
    completions.remove(id);
  }

  /** The job's latest snapshot. */
  public Optional<JobResult> job(JobId id) {
    JobResult live = jobs.get(id);
    return live != null ? Optional.of(live) : store.find(id);
  }

  /** Every job, the live ones and those in the store, oldest first. */
  public List<JobResult> jobs() {
    Map<JobId, JobResult> all = new LinkedHashMap<>();
    for (JobStore.JobList list : JobStore.JobList.values()) {
      store.list(list).forEach(j -> all.put(j.id(), j));
    }
    all.putAll(jobs);
    return all.values().stream()
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
