package io.proteus.bench.jmh;

import io.proteus.core.internal.routing.Router;
import io.proteus.model.JobId;
import io.proteus.model.Requirements;
import io.proteus.model.TaskId;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.Pool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One routing pass of the core's pure router: {@code queued} tasks against {@code idle} idle
 * workers of one least-recently-used pool. The core calls it with the tasks it considers; the
 * figure is the cost of one pass, whatever the core feeds it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RouterBench {
  /** Tasks in the queue. */
  @Param({"1", "1000"})
  public int queued;

  /** Idle workers. */
  @Param({"1000"})
  public int idle;

  private List<Router.QueuedTask> queue = List.of();
  private List<Router.IdleWorker> workers = List.of();
  private final Pool pool = Pool.leastRecentlyUsed("ci");

  /** Builds the queue and the idle workers. */
  @Setup
  public void setUp() {
    JobId job = new JobId("j1");
    Requirements req = new Requirements("ci", "linux", Set.of(), Set.of(), Optional.empty());
    List<Router.QueuedTask> q = new ArrayList<>();
    for (int i = 0; i < queued; i++) {
      q.add(new Router.QueuedTask(new TaskId(job, i), req, Set.of(), false));
    }
    List<Router.IdleWorker> w = new ArrayList<>();
    Instant base = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < idle; i++) {
      w.add(
          new Router.IdleWorker(
              WorkerDescriptor.of("w" + i, "ci", "linux"), base.plusMillis(i), i));
    }
    queue = q;
    workers = w;
  }

  /** One pass over the whole queue. */
  @Benchmark
  public List<Router.Assignment> route() {
    return Router.route(queue, workers, Set.of(), name -> pool);
  }
}
