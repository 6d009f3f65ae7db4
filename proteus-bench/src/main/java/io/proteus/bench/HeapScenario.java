package io.proteus.bench;

import io.proteus.core.ProteusCore;
import io.proteus.model.JobId;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

/**
 * Retained heap per queued task: used heap after a full collection, before a job is built and after
 * it was submitted to a core with no worker, divided by its tasks. It counts everything the job
 * keeps alive: the test specs, the core's records and indexes, the published snapshot and the
 * in-memory store's copy.
 */
final class HeapScenario {
  private HeapScenario() {}

  static List<Row> rows(Sizes sizes) {
    int tasks = sizes.heapTasks();
    ProteusCore core =
        ProteusCore.builder()
            .unroutableGrace(Duration.ofHours(1))
            .heartbeatTimeout(Duration.ofHours(1))
            .build()
            .start();
    try {
      core.submit(Builds.noop("warm", 10));
      long before = usedAfterGc();
      JobId id = core.submit(Builds.noop("heap", tasks)).get(0);
      if (core.job(id).isEmpty()) {
        throw new IllegalStateException("the job is not known after submit");
      }
      long after = usedAfterGc();
      double perTask = (double) (after - before) / tasks;
      return List.of(
          new Row(
              "retained heap per queued task at " + tasks,
              String.format(java.util.Locale.ROOT, "%.0f bytes", perTask),
              "-",
              String.format(java.util.Locale.ROOT, "%.2f KiB", perTask / 1024),
              "at most 2 KiB",
              perTask));
    } finally {
      core.stop(Duration.ofSeconds(5));
    }
  }

  static long usedAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
