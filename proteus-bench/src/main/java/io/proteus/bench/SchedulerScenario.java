package io.proteus.bench;

import io.proteus.core.ProteusCore;
import io.proteus.core.ProteusCoreBuilder;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduler alone: a core on its own loop thread with no-op workers, one large job against many
 * small ones on a small fleet. The figure per run is wall time from {@code submit} to the job's
 * completion divided by its tasks; the routing figure is each worker's gap between sending a result
 * and getting its next task.
 */
final class SchedulerScenario {
  private SchedulerScenario() {}

  /** What one configuration measured. */
  record Run(double nanosPerTask, Samples gaps, Samples perDispatch, long done, boolean finished) {}

  static List<Row> rows(Sizes sizes) {
    run(Math.min(2_000, sizes.schedulerTasks()), sizes.schedulerWorkers(), sizes.timeout());
    Run large = run(sizes.schedulerTasks(), sizes.schedulerWorkers(), sizes.timeout());
    double[] small = new double[Math.max(1, sizes.baselineRounds())];
    Run last = null;
    for (int r = 0; r < small.length; r++) {
      last = run(sizes.baselineTasks(), sizes.baselineWorkers(), sizes.timeout());
      small[r] = last.nanosPerTask();
    }
    Arrays.sort(small);
    double baseline = small[small.length / 2];
    String what =
        "scheduler only: "
            + sizes.schedulerTasks()
            + " tasks, "
            + sizes.schedulerWorkers()
            + " no-op workers";
    String partial =
        large.finished()
            ? ""
            : " (did not finish: " + large.done() + " tasks done in " + sizes.timeout() + ")";
    double ratio = baseline / large.nanosPerTask();
    return List.of(
        new Row(
            what + " - time per task" + partial,
            Row.millis(large.nanosPerTask()),
            Row.millis(baseline)
                + " at "
                + sizes.baselineTasks()
                + " tasks, "
                + sizes.baselineWorkers()
                + " workers (median of "
                + small.length
                + ")",
            Row.times(ratio) + " throughput per task",
            "at least 0.8x",
            ratio),
        new Row(
            what + " - loop time per dispatch (routing decision included)" + partial,
            "p50 "
                + Row.micros(large.perDispatch().percentile(50))
                + ", p99 "
                + Row.micros(large.perDispatch().percentile(99)),
            "p99 " + Row.micros(last.perDispatch().percentile(99)) + " in the last baseline job",
            Row.micros(large.perDispatch().percentile(99)) + " p99",
            "p99 under 100 us",
            large.perDispatch().percentile(99)),
        new Row(
            what + " - a worker's wait from its result to its next task" + partial,
            "p50 "
                + Row.micros(large.gaps().percentile(50))
                + ", p99 "
                + Row.micros(large.gaps().percentile(99)),
            "p99 " + Row.micros(last.gaps().percentile(99)) + " in the last baseline job",
            Row.micros(large.gaps().percentile(99)) + " p99",
            "- (grows with the fleet: the loop serves one event at a time)",
            large.gaps().percentile(99)));
  }

  static Run run(int tasks, int workers, Duration timeout) {
    Samples gaps = new Samples(tasks);
    Samples perDispatch = new Samples(tasks);
    AtomicLong last = new AtomicLong(-1);
    AtomicLong done = new AtomicLong();
    ProteusCoreBuilder builder =
        ProteusCore.builder()
            .unroutableGrace(Duration.ofHours(1))
            .heartbeatTimeout(Duration.ofHours(1));
    for (int w = 0; w < workers; w++) {
      builder.worker(new NoopWorker("noop-" + w, Builds.POOL, gaps, perDispatch, last, done));
    }
    ProteusCore core = builder.build().start();
    try {
      var build = Builds.noop("sched-" + tasks, tasks);
      long start = System.nanoTime();
      JobId id = core.submit(build).get(0);
      try {
        JobResult result = core.completion(id).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        long took = System.nanoTime() - start;
        String failed = Builds.failures(result);
        if (!failed.isEmpty()) {
          throw new IllegalStateException("a no-op job failed" + failed);
        }
        return new Run((double) took / tasks, gaps, perDispatch, tasks, true);
      } catch (TimeoutException e) {
        long took = System.nanoTime() - start;
        long finished = Math.max(1, done.get());
        core.cancel(id);
        return new Run((double) took / finished, gaps, perDispatch, finished, false);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the job failed", e);
    } finally {
      core.stop(Duration.ofSeconds(5));
    }
  }
}
