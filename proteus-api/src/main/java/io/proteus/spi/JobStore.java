package io.proteus.spi;

import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import java.util.List;
import java.util.Optional;

/**
 * Keeps jobs so that a core that stops or crashes picks up where it was. Jobs sit in three lists by
 * status: pending, active and archive; and finished jobs wait in an outbox until their adapter has
 * taken them. The core calls {@link #write} from its store writer thread (and from its loop for a
 * new job's first write, before {@code submit} returns), the other methods from its loop, and
 * readers call {@link #find} and {@link #list} from any thread: implementations must be
 * thread-safe. A write must be durable when it returns.
 */
public interface JobStore {

  /** Stores a job's current state, replacing any earlier one; its status decides its list. */
  void save(JobResult job);

  /**
   * Writes one batch of changes: each job's state (as {@link #save}), and the jobs that became
   * final into the outbox (as {@link #addToOutbox}). The core calls this off its loop, one batch at
   * a time, and calls it again with the same changes (merged with newer ones) if it throws. A
   * durable store writes the batch all-or-nothing; the default saves job by job, which is enough
   * for a store whose saves are idempotent.
   */
  default void write(StoreBatch batch) {
    for (StoreBatch.StoredJob job : batch.jobs()) {
      save(job.job());
    }
    for (StoreBatch.StoredJob job : batch.jobs()) {
      if (job.toOutbox()) {
        addToOutbox(job.id());
      }
    }
  }

  /**
   * The unfinished jobs and the last fencing token, for a core that starts on this store. Called
   * once, from the core's loop, before its first write. The default rebuilds them from the pending
   * and active lists without leases or files folders (a resuming core then takes the highest token
   * in their attempt records as the last one); durable stores keep what {@link #write} was given.
   */
  default StoreResume resume() {
    List<StoreResume.ResumedJob> jobs = new java.util.ArrayList<>();
    for (JobList l : List.of(JobList.PENDING, JobList.ACTIVE)) {
      for (JobResult j : list(l)) {
        jobs.add(new StoreResume.ResumedJob(j, Optional.empty(), List.of()));
      }
    }
    return new StoreResume(0, jobs);
  }

  /** The job, if stored. */
  Optional<JobResult> find(JobId id);

  /** The jobs in one list, in submission order. */
  List<JobResult> list(JobList list);

  /** Puts a finished job in the outbox. Idempotent. */
  void addToOutbox(JobId id);

  /** The jobs waiting to be delivered, oldest first. */
  List<JobId> outbox();

  /** Takes a delivered job out of the outbox. Idempotent. */
  void removeFromOutbox(JobId id);

  /** The three lists a job can be in. */
  enum JobList {
    /** Stored, nothing dispatched yet. */
    PENDING,
    /** Running. */
    ACTIVE,
    /** Finished. */
    ARCHIVE
  }
}
