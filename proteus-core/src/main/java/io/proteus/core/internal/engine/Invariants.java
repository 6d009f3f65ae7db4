package io.proteus.core.internal.engine;

import io.proteus.core.internal.job.JobRecord;
import io.proteus.core.internal.job.TaskRecord;
import io.proteus.core.internal.worker.WorkerRecord;
import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.WorkerState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the core's indexes, counters and snapshots against a recount of its records, and the
 * "nothing lost" count of every job. For tests: it walks everything. Loop thread only.
 */
public final class Invariants {
  private Invariants() {}

  /** Every disagreement found; empty when all agree. */
  public static List<String> violations(CoreEngine engine) {
    List<String> out = new ArrayList<>(engine.book().violations());
    for (JobRecord j : engine.book().jobs()) {
      JobResult published = engine.snapshots().jobs.get(j.id);
      if (published == null) {
        out.add("job " + j.id + " has no snapshot");
        continue;
      }
      if (!published.equals(j.snapshot())) {
        out.add("job " + j.id + "'s snapshot differs from its record");
      }
      Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
      for (int i = 0; i < j.tasks.size(); i++) {
        TaskRecord t = j.tasks.get(i);
        TaskResult shown = published.tasks().get(i);
        if (shown.status() != t.state.status() || !shown.attempts().equals(t.attempts)) {
          out.add("task " + t.id + " shows " + shown.status() + ", holds " + t.state.status());
        }
        counts.merge(shown.status(), 1, Integer::sum);
      }
      int sum = counts.values().stream().mapToInt(Integer::intValue).sum();
      if (sum != j.tasks.size()) {
        out.add("job " + j.id + ": " + j.tasks.size() + " accepted, " + counts + " accounted");
      }
      if (j.allFinal() != j.tasks.stream().allMatch(t -> t.state.status().isFinal())) {
        out.add("job " + j.id + ": allFinal disagrees with its tasks");
      }
    }
    List<String> idle = engine.workers().idle().stream().map(w -> w.descriptor().id()).toList();
    for (WorkerRecord w : engine.workers().records()) {
      if (w.state == WorkerState.IDLE && !idle.contains(w.descriptor.id())) {
        out.add("idle worker " + w.descriptor.id() + " is not in the idle set");
      }
      if ((w.task == null) != (w.attempt == null)) {
        out.add("worker " + w.descriptor.id() + " holds a task without an attempt or the reverse");
      }
    }
    return out;
  }
}
