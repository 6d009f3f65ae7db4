package io.proteus.core.internal.job;

import io.proteus.internal.PersistentList;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.JobStatus;
import io.proteus.model.TaskResult;
import io.proteus.model.TestPlan;
import io.proteus.spi.BuildFiles;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A job as the loop keeps it. Mutable; touched on the loop thread only. */
public final class JobRecord {
  public final JobId id;
  public final String adapter;
  public final String buildId;
  public final TestPlan plan;
  public final String platform;
  public final BuildFiles files;
  public final List<TaskRecord> tasks;
  public final Instant submitted;
  public JobStatus status = JobStatus.PENDING;
  public Optional<Instant> finished = Optional.empty();
  public boolean cancelled;

  /** When it was submitted, on the loop's monotonic clock (nanoseconds). */
  public long submittedNanos;

  /** Its place in submission order, given by the {@link JobBook}. */
  public long seq;

  /** How many of its tasks are final; kept by the {@link JobBook}. */
  public int finalCount;

  /** Its tasks as last published; one task's change replaces one element. */
  private PersistentList<TaskResult> published;

  public JobRecord(
      JobId id,
      String adapter,
      String buildId,
      TestPlan plan,
      String platform,
      BuildFiles files,
      List<TaskRecord> tasks,
      Instant submitted) {
    this.id = id;
    this.adapter = adapter;
    this.buildId = buildId;
    this.plan = plan;
    this.platform = platform;
    this.files = files;
    this.tasks = List.copyOf(tasks);
    this.submitted = submitted;
    this.published = PersistentList.copyOf(this.tasks.stream().map(TaskRecord::snapshot).toList());
  }

  /** Whether every task is final. */
  public boolean allFinal() {
    return finalCount == tasks.size();
  }

  /** Publishes {@code task}'s current state in the next {@link #snapshot()}. */
  public void refresh(TaskRecord task) {
    published = published.with(task.id.index(), task.snapshot());
  }

  /**
   * The job as the public API and the store see it, its tasks as last {@linkplain #refresh
   * refreshed}. Costs the same whatever the job's size.
   */
  public JobResult snapshot() {
    return new JobResult(
        id, adapter, buildId, plan, platform, status, published, submitted, finished);
  }
}
