package io.proteus.core.internal.job;

import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.JobStatus;
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
  }

  /** Whether every task is final. */
  public boolean allFinal() {
    return tasks.stream().allMatch(t -> t.state.status().isFinal());
  }

  /** The job as the public API and the store see it. */
  public JobResult snapshot() {
    return new JobResult(
        id,
        adapter,
        buildId,
        plan,
        platform,
        status,
        tasks.stream().map(TaskRecord::snapshot).toList(),
        submitted,
        finished);
  }
}
