package io.proteus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.AbortRequest;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Reservation;
import io.proteus.spi.Worker;
import io.proteus.spi.WorkerContext;
import io.proteus.spi.WorkerEvents;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code stop(grace)} lets running tasks finish within the grace, even after an idle moment. */
class StopWaitsForRunningTasksTest {

  /** Passes the first task at once; holds every later one until {@code release} opens. */
  static final class HoldingWorker implements Worker {
    final CountDownLatch release = new CountDownLatch(1);
    final CompletableFuture<Void> holding = new CompletableFuture<>();
    volatile WorkerEvents events;
    int dispatched;

    @Override
    public WorkerDescriptor descriptor() {
      return WorkerDescriptor.of("w", "lab", "linux");
    }

    @Override
    public void start(WorkerContext context) {
      events = context.events();
      events.ready();
    }

    @Override
    public void dispatch(DispatchRequest r) {
      events.accepted(r.fencingToken());
      boolean hold = dispatched++ > 0;
      Thread.ofVirtual()
          .start(() -> {
            try {
              if (hold) {
                holding.complete(null);
                release.await(1, TimeUnit.MINUTES);
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            events.completed(
                r.fencingToken(), new AttemptReport(0, List.of(), Optional.empty(), Duration.ZERO));
          });
    }

    @Override
    public void abort(AbortRequest request) {}

    @Override
    public void stop() {}
  }

  static Build build(String id) {
    TestPlan plan =
        new TestPlan(
            "p",
            "1",
            List.of("linux"),
            "lab",
            Optional.empty(),
            List.of(TestSpec.of("t", "bin/t", Optional.empty(), List.of())));
    return new Build(id, List.of(plan), BuildFiles.NONE, Reservation.NONE);
  }

  @Test
  void stopWaitsForTheTaskThatRunsWhenItIsCalled() throws Exception {
    HoldingWorker worker = new HoldingWorker();
    ProteusCore core = ProteusCore.builder().worker(worker).build().start();
    JobId first = core.submit(build("one")).getFirst();
    assertThat(core.completion(first).get(30, TimeUnit.SECONDS).allPassed()).isTrue();
    JobId second = core.submit(build("two")).getFirst();
    worker.holding.get(30, TimeUnit.SECONDS);

    CompletableFuture<Void> stopped =
        CompletableFuture.runAsync(() -> core.stop(Duration.ofSeconds(30)));
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !stopped.isDone());
    worker.release.countDown();
    stopped.get(30, TimeUnit.SECONDS);

    assertThat(core.store().find(second).orElseThrow().tasks().getFirst().status())
        .isEqualTo(TaskStatus.PASSED);
  }
}
