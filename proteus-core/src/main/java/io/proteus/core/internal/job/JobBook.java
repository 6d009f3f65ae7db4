package io.proteus.core.internal.job;

import io.proteus.model.JobId;
import io.proteus.model.Requirements;
import io.proteus.model.TaskStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The jobs the loop holds, with the indexes that keep each event's cost independent of how many
 * tasks and jobs there are: attempts by fencing token, queued tasks grouped by what they require
 * (oldest first in each group), and counts of queued and in-flight tasks. Every change takes an
 * {@code undo} sink that receives the change's inverse, so that a step that fails puts the indexes
 * back with its records. Loop thread only.
 */
public final class JobBook {
  private final Map<JobId, JobRecord> jobs = new LinkedHashMap<>();
  private final Map<Long, TaskRecord> byToken = new HashMap<>();
  private final Map<Requirements, TreeMap<Long, TaskRecord>> queued = new LinkedHashMap<>();
  private long queuedCount;
  private long inFlightCount;
  private long nextSeq;

  /** Adds a new job whose tasks are all queued. */
  public void add(JobRecord job, Consumer<Runnable> undo) {
    job.seq = nextSeq++;
    jobs.put(job.id, job);
    for (TaskRecord t : job.tasks) {
      t.queueKey = (job.seq << 32) | t.id.index();
      enqueue(t);
    }
    undo.accept(() -> remove(job));
  }

  /**
   * Adds a job rebuilt from the store, its tasks in whatever state they were: queued ones queue,
   * live ones count as in flight, and every attempt's token is indexed.
   */
  public void restore(JobRecord job, Consumer<Runnable> undo) {
    job.seq = nextSeq++;
    jobs.put(job.id, job);
    job.finalCount = 0;
    for (TaskRecord t : job.tasks) {
      t.queueKey = (job.seq << 32) | t.id.index();
      enter(job, t, t.state.status());
      t.attempts.forEach(a -> byToken.put(a.fencingToken(), t));
    }
    undo.accept(() -> remove(job));
  }

  /** Forgets a final job: it is stored and delivered, and nothing refers to it any more. */
  public void evict(JobId id) {
    JobRecord job = jobs.get(id);
    if (job != null && job.status.isFinal()) {
      remove(job);
    }
  }

  private void remove(JobRecord job) {
    jobs.remove(job.id);
    for (TaskRecord t : job.tasks) {
      TaskStatus s = t.state.status();
      if (s == TaskStatus.QUEUED) {
        dequeue(t);
      } else if (!s.isFinal()) {
        inFlightCount--;
      }
      t.attempts.forEach(a -> byToken.remove(a.fencingToken()));
    }
  }

  /** The job with this id, if held. */
  public Optional<JobRecord> job(JobId id) {
    return Optional.ofNullable(jobs.get(id));
  }

  /** Every held job, oldest first. */
  public Collection<JobRecord> jobs() {
    return jobs.values();
  }

  /** The task whose attempt carries {@code token}, if its job is held. */
  public Optional<TaskRecord> byToken(long token) {
    return Optional.ofNullable(byToken.get(token));
  }

  /** Records a new attempt's token. */
  public void tokenIssued(TaskRecord t, long token, Consumer<Runnable> undo) {
    byToken.put(token, t);
    undo.accept(() -> byToken.remove(token));
  }

  /** Moves {@code t} between the indexes after its status changed from {@code before}. */
  public void statusChanged(
      JobRecord job, TaskRecord t, TaskStatus before, TaskStatus after, Consumer<Runnable> undo) {
    if (before == after) {
      return;
    }
    leave(job, t, before);
    enter(job, t, after);
    undo.accept(() -> {
      leave(job, t, after);
      enter(job, t, before);
    });
  }

  private void leave(JobRecord job, TaskRecord t, TaskStatus s) {
    if (s == TaskStatus.QUEUED) {
      dequeue(t);
    } else if (s.isFinal()) {
      job.finalCount--;
    } else {
      inFlightCount--;
    }
  }

  private void enter(JobRecord job, TaskRecord t, TaskStatus s) {
    if (s == TaskStatus.QUEUED) {
      enqueue(t);
    } else if (s.isFinal()) {
      job.finalCount++;
    } else {
      inFlightCount++;
    }
  }

  private void enqueue(TaskRecord t) {
    queued.computeIfAbsent(t.requirements, r -> new TreeMap<>()).put(t.queueKey, t);
    queuedCount++;
  }

  private void dequeue(TaskRecord t) {
    TreeMap<Long, TaskRecord> group = queued.get(t.requirements);
    if (group != null && group.remove(t.queueKey) != null) {
      queuedCount--;
      if (group.isEmpty()) {
        queued.remove(t.requirements);
      }
    }
  }

  /** The queued tasks, one group per set of requirements, each oldest first. */
  public List<TreeMap<Long, TaskRecord>> queueGroups() {
    return new ArrayList<>(queued.values());
  }

  /** How many tasks are queued. */
  public long queuedCount() {
    return queuedCount;
  }

  /** How many tasks a worker holds or has been sent. */
  public long inFlightCount() {
    return inFlightCount;
  }

  /** How many jobs are held. */
  public int size() {
    return jobs.size();
  }

  /**
   * What in the indexes and counters differs from a recount of the records; empty when they agree.
   * Costs a walk over every held task: for tests.
   */
  public List<String> violations() {
    List<String> out = new ArrayList<>();
    long q = 0;
    long live = 0;
    int tokens = 0;
    for (JobRecord j : jobs.values()) {
      int finals = 0;
      for (TaskRecord t : j.tasks) {
        TaskStatus s = t.state.status();
        if (s == TaskStatus.QUEUED) {
          q++;
          TreeMap<Long, TaskRecord> group = queued.get(t.requirements);
          if (group == null || group.get(t.queueKey) != t) {
            out.add("queued task " + t.id + " is not in its queue group");
          }
        } else if (s.isFinal()) {
          finals++;
        } else {
          live++;
        }
        for (var a : t.attempts) {
          tokens++;
          if (byToken.get(a.fencingToken()) != t) {
            out.add("token " + a.fencingToken() + " of " + t.id + " is not indexed");
          }
        }
      }
      if (finals != j.finalCount) {
        out.add("job " + j.id + " counts " + j.finalCount + " final tasks, a recount " + finals);
      }
    }
    int grouped = queued.values().stream().mapToInt(Map::size).sum();
    if (q != queuedCount || grouped != q) {
      out.add("queued: counter " + queuedCount + ", groups " + grouped + ", recount " + q);
    }
    if (live != inFlightCount) {
      out.add("in flight: counter " + inFlightCount + ", recount " + live);
    }
    if (tokens != byToken.size()) {
      out.add("tokens: index " + byToken.size() + ", recount " + tokens);
    }
    queued.forEach((req, group) -> {
      if (group.isEmpty()) {
        out.add("an empty queue group is kept for " + req);
      }
    });
    return out;
  }
}
