package io.proteus.core.internal.worker;

import io.proteus.core.internal.loop.EventLoop;
import io.proteus.core.internal.task.Attempt;
import io.proteus.model.AttemptEnd;
import io.proteus.model.Quarantine;
import io.proteus.model.TaskId;
import io.proteus.model.WorkerDescriptor;
import io.proteus.model.WorkerState;
import io.proteus.spi.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** A worker as the loop keeps it. Mutable; touched on the loop thread only. */
public final class WorkerRecord {
  /** Its link; replaced when an agent joins again through a transport. */
  public Worker link;

  public WorkerDescriptor descriptor;
  public WorkerState state = WorkerState.BOOTING;

  /** The transport it joined through, or null for a worker the core was given. */
  public @Nullable Object joinedVia;

  /** Whether an operator drained it: a new session of its agent does not put it back to work. */
  public boolean drained;

  /**
   * Why, when and by whom it is quarantined: set while it is QUARANTINED, or while it finishes the
   * task it held when an operator quarantined it.
   */
  public @Nullable Quarantine quarantine;

  /** The timer that hands its attempt back when its drain deadline passes, while it drains. */
  public EventLoop.@Nullable Timer drainDeadline;

  /** Futures of drains waiting for it to go offline. */
  public final List<CompletableFuture<Void>> offlineWaiters = new ArrayList<>();

  /** When it last spoke, on the loop's monotonic clock (nanoseconds). */
  public long lastSeenNanos;

  /** Its place in registration order. */
  public int seq;

  public Instant lastAssigned = Instant.MIN;
  public long tasksRun;

  /**
   * The failures to run on it since its last success, by task, leaving out tasks that also could
   * not run on another worker (those are the task's fault, not the worker's).
   */
  public final List<TaskId> failureStreak = new ArrayList<>();

  public @Nullable TaskId task;
  public @Nullable Attempt attempt;

  /** An attempt the core aborted whose processes may still run; it holds its resources. */
  public @Nullable Aborting aborting;

  /**
   * An aborted attempt not yet over.
   *
   * @param token its fencing token
   * @param resources the resource tags it still holds
   * @param task the task it belonged to
   * @param end how the attempt ended
   * @param counts whether it counts toward the worker's quarantine
   * @param grace the timer that frees it if the worker never says it is over
   */
  public record Aborting(
      long token,
      Set<String> resources,
      TaskId task,
      AttemptEnd end,
      boolean counts,
      EventLoop.Timer grace) {}

  public WorkerRecord(Worker link, long nowNanos) {
    this(link, nowNanos, null);
  }

  /** A worker that joined through {@code via}, a transport, or was given to the core (null). */
  public WorkerRecord(Worker link, long nowNanos, @Nullable Object via) {
    this.link = link;
    this.descriptor = link.descriptor();
    this.lastSeenNanos = nowNanos;
    this.joinedVia = via;
  }
}
