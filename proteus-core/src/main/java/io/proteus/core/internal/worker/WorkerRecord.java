package io.proteus.core.internal.worker;

import io.proteus.core.internal.task.Attempt;
import io.proteus.model.TaskId;
import io.proteus.model.WorkerDescriptor;
import io.proteus.model.WorkerState;
import io.proteus.spi.Worker;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A worker as the loop keeps it. Mutable; touched on the loop thread only. */
public final class WorkerRecord {
  public final Worker link;
  public final WorkerDescriptor descriptor;
  public WorkerState state = WorkerState.BOOTING;
  public Instant lastSeen;
  public Instant lastAssigned = Instant.MIN;
  public long tasksRun;
  public int consecutiveFailures;
  public @Nullable TaskId task;
  public @Nullable Attempt attempt;

  public WorkerRecord(Worker link, Instant now) {
    this.link = link;
    this.descriptor = link.descriptor();
    this.lastSeen = now;
  }
}
