package io.proteus.spi;

import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One batch of the core's writes to its {@link JobStore}: the jobs that changed since the last
 * batch, in the order they first changed, with what a durable store needs to resume them. The core
 * writes batches one at a time, off its loop, and writes a failed batch again until it succeeds.
 *
 * @param jobs the jobs that changed
 * @param lastToken the highest fencing token the core has handed out; a core that resumes from the
 *     store must hand out larger ones
 */
public record StoreBatch(List<StoredJob> jobs, long lastToken) {

  /** Copies the list. */
  public StoreBatch {
    jobs = List.copyOf(jobs);
  }

  /**
   * One job's write.
   *
   * @param job the job's state now
   * @param files where its build's files are
   * @param changed the tasks that changed since the job's last write, with their leases
   * @param toOutbox whether the job became final and enters the outbox with this write
   */
  public record StoredJob(
      JobResult job, BuildFiles files, List<TaskLease> changed, boolean toOutbox) {

    /** Copies the list. */
    public StoredJob {
      changed = List.copyOf(changed);
    }

    /** The job's id. */
    public JobId id() {
      return job.id();
    }
  }

  /**
   * What the core knows of one task beyond its public state.
   *
   * @param index the task's index in its job
   * @param liveToken the fencing token of its live attempt, if one is live
   * @param failedOn the workers on which an attempt of it could not run; a retry avoids them
   */
  public record TaskLease(int index, Optional<Long> liveToken, Set<String> failedOn) {

    /** Copies the set. */
    public TaskLease {
      failedOn = Set.copyOf(failedOn);
    }
  }
}
