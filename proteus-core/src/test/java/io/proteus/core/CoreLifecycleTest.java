package io.proteus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.proteus.CoreStoppedException;
import io.proteus.ProteusException;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.AbortRequest;
import io.proteus.spi.Adapter;
import io.proteus.spi.AdapterContext;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.DeliveryContext;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Pool;
import io.proteus.spi.Reservation;
import io.proteus.spi.Worker;
import io.proteus.spi.WorkerContext;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The core's life: its states, what build() refuses, a failed start, and every call after stop. */
class CoreLifecycleTest {

  /** A worker that does nothing, or whose start throws. */
  record Idle(String id, boolean brokenStart) implements Worker {
    Idle(String id) {
      this(id, false);
    }

    @Override
    public WorkerDescriptor descriptor() {
      return WorkerDescriptor.of(id, "lab", "linux");
    }

    @Override
    public void start(WorkerContext context) {
      if (brokenStart) {
        throw new IllegalStateException("no engine on this machine");
      }
      context.events().ready();
    }

    @Override
    public void dispatch(DispatchRequest request) {}

    @Override
    public void abort(AbortRequest request) {}

    @Override
    public void stop() {}
  }

  record Named(String name) implements Adapter {
    @Override
    public void poll(AdapterContext context) {}

    @Override
    public void deliver(DeliveryContext context) {}
  }

  static Build build() {
    TestPlan plan =
        new TestPlan(
            "p",
            "1",
            List.of("linux"),
            "lab",
            Optional.empty(),
            List.of(TestSpec.of("t", "bin/t", Optional.empty(), List.of())));
    return new Build("b", List.of(plan), BuildFiles.NONE, Reservation.NONE);
  }

  @Test
  void aCoreGoesFromNewToRunningToTerminatedAndStartAndStopAreIdempotent() {
    ProteusCore core = ProteusCore.builder().worker(new Idle("w")).build();
    assertThat(core.state()).isEqualTo(ProteusCore.State.NEW);
    assertThat(core.start().start().state()).isEqualTo(ProteusCore.State.RUNNING);
    core.stop(Duration.ofSeconds(1));
    core.stop(Duration.ofSeconds(1));
    assertThat(core.state()).isEqualTo(ProteusCore.State.TERMINATED);
    assertThat(core.failureCause()).isEmpty();
    assertThatThrownBy(core::start).isInstanceOf(CoreStoppedException.class);
  }

  @Test
  void buildRefusesDuplicateIdsAndNamesNamingThem() {
    assertThatThrownBy(
            () -> ProteusCore.builder().worker(new Idle("w1")).worker(new Idle("w1")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("worker id 'w1'");
    assertThatThrownBy(
            () -> ProteusCore.builder().adapter(new Named("ci")).adapter(new Named("ci")).build())
        .hasMessageContaining("adapter name 'ci'");
    assertThatThrownBy(() -> ProteusCore.builder().adapter(new Named("direct")).build())
        .hasMessageContaining("'direct' is the core's own");
    assertThatThrownBy(() ->
            ProteusCore.builder()
                .pool(Pool.leastRecentlyUsed("p"))
                .pool(Pool.leastRecentlyUsed("p")))
        .hasMessageContaining("a pool named 'p'");
    assertThatThrownBy(() -> ProteusCore.builder().quarantineAfter(0).build())
        .hasMessageContaining("quarantineAfter");
    assertThatThrownBy(() -> ProteusCore.builder().abortGrace(Duration.ZERO).build())
        .hasMessageContaining("abortGrace");
  }

  @Test
  void aWorkerThatCannotStartFailsTheStartWithItsCause() {
    ProteusCore core =
        ProteusCore.builder().worker(new Idle("good")).worker(new Idle("bad", true)).build();
    assertThatThrownBy(core::start)
        .isInstanceOf(ProteusException.class)
        .hasMessageContaining("failed to start")
        .hasMessageContaining("no engine on this machine");
    assertThat(core.state()).isEqualTo(ProteusCore.State.FAILED);
    assertThat(core.failureCause()).get().isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> core.submit(build())).isInstanceOf(CoreStoppedException.class);
    assertThatThrownBy(core::start).isInstanceOf(CoreStoppedException.class);
    core.stop(Duration.ZERO);
    assertThat(core.state()).isEqualTo(ProteusCore.State.FAILED);
  }

  @Test
  void aSecondWorkerWithATakenIdIsRefusedWhileRunning() {
    ProteusCore core = ProteusCore.builder().worker(new Idle("w")).build().start();
    try {
      assertThatThrownBy(() -> core.addWorker(new Idle("w")))
          .isInstanceOf(ProteusException.class)
          .hasMessageContaining("'w' is already registered");
    } finally {
      core.stop(Duration.ZERO);
    }
  }

  @Test
  void everyCallAfterStopThrowsAtOnce() {
    ProteusCore core = ProteusCore.builder().worker(new Idle("w")).build().start();
    JobId job = core.submit(build()).getFirst();
    core.stop(Duration.ZERO);
    List<Executable> calls =
        List.of(
            () -> core.submit(build()),
            () -> core.cancel(job),
            () -> core.drain("w"),
            () -> core.lift("w"),
            () -> core.addWorker(new Idle("w2")));
    for (Executable call : calls) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(5),
          () -> assertThatThrownBy(call::execute).isInstanceOf(CoreStoppedException.class));
    }
  }

  @Test
  void callsBeforeStartSaySo() {
    ProteusCore core = ProteusCore.builder().build();
    assertThatThrownBy(() -> core.submit(build()))
        .isInstanceOf(ProteusException.class)
        .isNotInstanceOf(CoreStoppedException.class)
        .hasMessageContaining("start() it first");
    core.stop(Duration.ZERO);
    assertThat(core.state()).isEqualTo(ProteusCore.State.TERMINATED);
  }
}
