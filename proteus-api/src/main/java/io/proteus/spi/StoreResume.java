package io.proteus.spi;

import io.proteus.model.JobResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link JobStore} hands a core that starts on it: the jobs that were not final when the
 * last core stopped or crashed, each as its last write left it, and the highest fencing token that
 * core wrote. The core resumes them: queued tasks stay queued, live attempts are re-adopted or
 * dispatched again under larger tokens, finished tasks never run again.
 *
 * @param lastToken the highest fencing token stored; a resuming core hands out larger ones
 * @param jobs the pending and active jobs, in submission order
 */
public record StoreResume(long lastToken, List<ResumedJob> jobs) {

  /** A store with nothing to resume. */
  public static final StoreResume EMPTY = new StoreResume(0, List.of());

  /** Copies the list. */
  public StoreResume {
    jobs = List.copyOf(jobs);
  }

  /**
   * One unfinished job.
   *
   * @param job its state as last written
   * @param filesFolder the folder of its build's files, when its {@link BuildFiles} named one
   * @param leases what the core knew of each task beyond its public state, by task index; a task
   *     with no lease has no live token and has failed on no worker
   */
  public record ResumedJob(
      JobResult job, Optional<Path> filesFolder, List<StoreBatch.TaskLease> leases) {

    /** Copies the list. */
    public ResumedJob {
      leases = List.copyOf(leases);
    }
  }
}
