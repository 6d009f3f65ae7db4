package io.proteus.bench.jmh;

import io.proteus.core.LoopControl;
import io.proteus.core.ProteusCore;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Reservation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Snapshot publication through the public API, on a stepped core with one held worker and a job of
 * {@code tasks} tasks: the cost of reading the job's snapshot, and of one task's turn (its result,
 * the next task's dispatch and its accept, each run through the loop). When the job runs out of
 * tasks a new one is submitted inside the measured call, a cost spread over its tasks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SnapshotBench {
  /** Tasks in the job. */
  @Param({"1000", "100000"})
  public int tasks;

  private ProteusCore core;
  private LoopControl loop;
  private HeldWorker worker;
  private JobId job;
  private DispatchRequest running;
  private int jobs;

  /** Starts the core and submits the first job. */
  @Setup(Level.Trial)
  public void setUp() {
    worker = new HeldWorker("held", "bench");
    core =
        ProteusCore.builder()
            .steppedLoop()
            .heartbeatTimeout(Duration.ofHours(1))
            .unroutableGrace(Duration.ofHours(1))
            .worker(worker)
            .build()
            .start();
    loop = core.loopControl();
    loop.runUntilIdle();
    nextJob();
  }

  /** Stops the core. */
  @TearDown(Level.Trial)
  public void tearDown() {
    core.stop(Duration.ofSeconds(5));
  }

  /** Reads the job's published snapshot. */
  @Benchmark
  public Optional<JobResult> job() {
    return core.job(job);
  }

  /** One task's turn: its result, the next task's dispatch, its accept. */
  @Benchmark
  public DispatchRequest turn() {
    worker.events().completed(running.fencingToken(), HeldWorker.PASSED);
    loop.runUntilIdle();
    Optional<DispatchRequest> next = worker.take();
    if (next.isEmpty()) {
      nextJob();
    } else {
      accept(next.get());
    }
    return running;
  }

  private void nextJob() {
    job = core.submit(build("snap-" + jobs++, tasks)).get(0);
    loop.runUntilIdle();
    accept(worker.take().orElseThrow(() -> new IllegalStateException("nothing was dispatched")));
  }

  private void accept(DispatchRequest request) {
    running = request;
    worker.events().accepted(request.fencingToken());
    loop.runUntilIdle();
  }

  static Build build(String id, int tasks) {
    List<TestSpec> specs = new ArrayList<>(tasks);
    for (int i = 0; i < tasks; i++) {
      specs.add(TestSpec.of("t" + i, "bin/noop", Optional.empty(), List.of()));
    }
    TestPlan plan = new TestPlan("bench", id, List.of("linux"), "bench", Optional.empty(), specs);
    return new Build(id, List.of(plan), BuildFiles.NONE, Reservation.NONE);
  }
}
