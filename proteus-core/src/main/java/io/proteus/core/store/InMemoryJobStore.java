package io.proteus.core.store;

import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.JobStatus;
import io.proteus.spi.JobStore;
import io.proteus.spi.StoreBatch;
import io.proteus.spi.StoreResume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A job store in memory: fast and forgetful. For tests and for one-shot runs where a crash may lose
 * the run. A new core built on the same instance resumes its unfinished jobs, as it would from a
 * durable store, which is how tests restart a core in one JVM. Thread-safe.
 */
public final class InMemoryJobStore implements JobStore {
  private final Map<JobId, JobResult> jobs = new LinkedHashMap<>();
  private final Set<JobId> outbox = new LinkedHashSet<>();
  private final Map<JobId, Map<Integer, StoreBatch.TaskLease>> leases = new HashMap<>();
  private final Map<JobId, Path> folders = new HashMap<>();
  private long lastToken;
  private long saves;

  @Override
  public synchronized void save(JobResult job) {
    jobs.put(job.id(), job);
    saves++;
  }

  @Override
  public synchronized void write(StoreBatch batch) {
    for (StoreBatch.StoredJob j : batch.jobs()) {
      save(j.job());
      j.files().folder().ifPresent(f -> folders.put(j.id(), f));
      Map<Integer, StoreBatch.TaskLease> byIndex =
          leases.computeIfAbsent(j.id(), k -> new TreeMap<>());
      j.changed().forEach(l -> byIndex.put(l.index(), l));
      if (j.toOutbox()) {
        outbox.add(j.id());
      }
    }
    lastToken = Math.max(lastToken, batch.lastToken());
  }

  /** The unfinished jobs with the leases and files folders their batches carried. */
  @Override
  public synchronized StoreResume resume() {
    List<StoreResume.ResumedJob> out = new ArrayList<>();
    for (JobResult j : jobs.values()) {
      if (listOf(j.status()) != JobList.ARCHIVE) {
        out.add(
            new StoreResume.ResumedJob(
                j,
                Optional.ofNullable(folders.get(j.id())),
                List.copyOf(leases.getOrDefault(j.id(), Map.of()).values())));
      }
    }
    return new StoreResume(lastToken, out);
  }

  @Override
  public synchronized Optional<JobResult> find(JobId id) {
    return Optional.ofNullable(jobs.get(id));
  }

  @Override
  public synchronized List<JobResult> list(JobList list) {
    List<JobResult> out = new ArrayList<>();
    for (JobResult j : jobs.values()) {
      if (listOf(j.status()) == list) {
        out.add(j);
      }
    }
    return out;
  }

  @Override
  public synchronized void addToOutbox(JobId id) {
    outbox.add(id);
  }

  @Override
  public synchronized List<JobId> outbox() {
    return List.copyOf(outbox);
  }

  @Override
  public synchronized void removeFromOutbox(JobId id) {
    outbox.remove(id);
  }

  /** How many times a job was saved: every state change is one. */
  public synchronized long saves() {
    return saves;
  }

  /** The list a job with this status belongs to. */
  public static JobList listOf(JobStatus status) {
    return switch (status) {
      case PENDING -> JobList.PENDING;
      case ACTIVE -> JobList.ACTIVE;
      case COMPLETED, CANCELLED -> JobList.ARCHIVE;
    };
  }
}
