package io.proteus.core.store;

import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.JobStatus;
import io.proteus.spi.JobStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A job store in memory: fast and forgetful. For tests and for one-shot runs where a crash may lose
 * the run. Thread-safe, though the core calls it from its loop only.
 */
public final class InMemoryJobStore implements JobStore {
  private final Map<JobId, JobResult> jobs = new LinkedHashMap<>();
  private final Set<JobId> outbox = new LinkedHashSet<>();
  private long saves;

  @Override
  public synchronized void save(JobResult job) {
    jobs.put(job.id(), job);
    saves++;
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
