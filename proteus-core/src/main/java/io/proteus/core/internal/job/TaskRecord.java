package io.proteus.core.internal.job;

import io.proteus.core.internal.loop.EventLoop;
import io.proteus.core.internal.task.TaskState;
import io.proteus.model.AttemptRecord;
import io.proteus.model.Requirements;
import io.proteus.model.TaskId;
import io.proteus.model.TaskResult;
import io.proteus.model.TestCaseResult;
import io.proteus.model.TestSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A task as the loop keeps it. Mutable; touched on the loop thread only. */
public final class TaskRecord {
  public final TaskId id;
  public final TestSpec test;
  public final String platform;
  public final Requirements requirements;
  public TaskState state = new TaskState.Queued(0);
  public final List<AttemptRecord> attempts = new ArrayList<>();
  public final Set<String> failedOn = new HashSet<>();
  public List<TestCaseResult> cases = List.of();
  public Optional<Integer> exitCode = Optional.empty();
  public Optional<String> log = Optional.empty();
  public Optional<String> reason = Optional.empty();
  public EventLoop.@Nullable Timer deadline;

  /** Its place in the queue: its job's submission order, then its index. */
  public long queueKey;

  public TaskRecord(TaskId id, TestSpec test, String platform, Requirements requirements) {
    this.id = id;
    this.test = test;
    this.platform = platform;
    this.requirements = requirements;
  }

  /** The task as the public API shows it. */
  public TaskResult snapshot() {
    return new TaskResult(
        id, test.name(), platform, state.status(), attempts, reason, cases, exitCode, log);
  }
}
