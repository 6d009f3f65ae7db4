package io.proteus.core.internal.engine;

import io.proteus.core.internal.job.JobRecord;
import io.proteus.core.internal.job.TaskRecord;
import io.proteus.core.internal.task.Attempt;
import io.proteus.core.internal.task.TaskState;
import io.proteus.model.AttemptRecord;
import io.proteus.model.JobResult;
import io.proteus.model.Requirements;
import io.proteus.model.TaskId;
import io.proteus.model.TaskResult;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.StoreBatch;
import io.proteus.spi.StoreResume;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rebuilds the loop's records of a job a store kept: each task in the state its last write left it,
 * with its attempts, results and the workers it failed on. A task whose attempt was live keeps it,
 * waiting for its worker to say whether it still holds it. Pure: the engine indexes the result.
 */
final class Recovery {
  private Recovery() {}

  /**
   * A resumed job and its live attempts.
   *
   * @param job the rebuilt record
   * @param live the tasks whose attempt was live, with that attempt
   */
  record Rebuilt(JobRecord job, Map<TaskRecord, Attempt> live) {}

  /** The task record of test {@code index} of {@code plan}, as a new job makes it. */
  static TaskRecord newTask(io.proteus.model.JobId job, TestPlan plan, int index, String platform) {
    TestSpec test = plan.tests().get(index);
    Requirements req =
        new Requirements(
            plan.pool(), platform, test.tags(), test.resources(), test.topic().or(plan::topic));
    return new TaskRecord(new TaskId(job, index), test, platform, req);
  }

  /**
   * Rebuilds one job, or explains why its stored form cannot be resumed.
   *
   * @throws IllegalArgumentException when the stored job does not match its own plan
   */
  static Rebuilt rebuild(StoreResume.ResumedJob stored, BuildFiles files) {
    JobResult r = stored.job();
    if (r.status().isFinal()) {
      throw new IllegalArgumentException("it is already " + r.status());
    }
    int n = r.plan().tests().size();
    if (r.tasks().size() != n) {
      throw new IllegalArgumentException(
          "it has " + r.tasks().size() + " tasks but its plan has " + n + " tests");
    }
    Map<Integer, StoreBatch.TaskLease> leases = new HashMap<>();
    stored.leases().forEach(l -> leases.put(l.index(), l));
    List<TaskRecord> tasks = new ArrayList<>(n);
    Map<TaskRecord, Attempt> live = new HashMap<>();
    for (int i = 0; i < n; i++) {
      TaskResult tr = r.tasks().get(i);
      if (tr.id().index() != i || !tr.id().job().equals(r.id())) {
        throw new IllegalArgumentException("task " + i + " is stored as " + tr.id());
      }
      TaskRecord t = newTask(r.id(), r.plan(), i, r.platform());
      t.attempts.addAll(tr.attempts());
      t.cases = tr.cases();
      t.exitCode = tr.exitCode();
      t.log = tr.log();
      t.reason = tr.reason();
      StoreBatch.TaskLease lease = leases.get(i);
      if (lease != null) {
        t.failedOn.addAll(lease.failedOn());
      }
      Optional<Long> token = lease == null ? Optional.empty() : lease.liveToken();
      t.state = state(tr, token);
      attemptOf(t.state).ifPresent(a -> live.put(t, a));
      tasks.add(t);
    }
    JobRecord job =
        new JobRecord(
            r.id(), r.adapter(), r.buildId(), r.plan(), r.platform(), files, tasks, r.submitted());
    job.status = r.status();
    return new Rebuilt(job, live);
  }

  private static TaskState state(TaskResult tr, Optional<Long> leaseToken) {
    int used = used(tr.attempts());
    if (tr.status().isFinal()) {
      return new TaskState.Done(tr.status(), used, tr.reason().orElse(""));
    }
    AttemptRecord last = tr.attempts().isEmpty() ? null : tr.attempts().getLast();
    if (last == null || last.end().isPresent()) {
      return new TaskState.Queued(used);
    }
    Attempt a = new Attempt(last.number(), leaseToken.orElse(last.fencingToken()), last.workerId());
    return switch (tr.status()) {
      case DISPATCHED -> new TaskState.Dispatched(a);
      case LOADING -> new TaskState.Loading(a);
      case RUNNING -> new TaskState.Running(a);
      case UPLOADING -> new TaskState.Uploading(a);
      default -> new TaskState.Queued(used);
    };
  }

  /** Attempts used: the last one's number, less one if it was handed back. */
  private static int used(java.util.List<AttemptRecord> attempts) {
    if (attempts.isEmpty()) {
      return 0;
    }
    AttemptRecord last = attempts.getLast();
    boolean back = last.end().filter(e -> e == io.proteus.model.AttemptEnd.HANDED_BACK).isPresent();
    return back ? last.number() - 1 : last.number();
  }

  private static Optional<Attempt> attemptOf(TaskState s) {
    return switch (s) {
      case TaskState.Queued q -> Optional.empty();
      case TaskState.Done d -> Optional.empty();
      case TaskState.Dispatched d -> Optional.of(d.attempt());
      case TaskState.Loading l -> Optional.of(l.attempt());
      case TaskState.Running r -> Optional.of(r.attempt());
      case TaskState.Uploading u -> Optional.of(u.attempt());
    };
  }

  /** The highest fencing token among the jobs' attempts, or {@code floor}. */
  static long highestToken(List<StoreResume.ResumedJob> jobs, long floor) {
    long max = floor;
    for (StoreResume.ResumedJob j : jobs) {
      for (TaskResult t : j.job().tasks()) {
        for (AttemptRecord a : t.attempts()) {
          max = Math.max(max, a.fencingToken());
        }
      }
    }
    return max;
  }
}
