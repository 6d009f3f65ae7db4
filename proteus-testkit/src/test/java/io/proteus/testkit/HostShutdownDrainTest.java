package io.proteus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.core.ProteusCore;
import io.proteus.core.worker.LocalWorker;
import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerState;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.ProteusEvent;
import io.proteus.spi.Reservation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host's shutdown request drains its local worker: the core hands its attempt back. */
class HostShutdownDrainTest {
  @TempDir Path tmp;

  @Test
  void aHostShutdownDrainsTheWorkerAndItsAttemptRunsElsewhereNotCounted() throws Exception {
    Path build = Files.createDirectories(tmp.resolve("build"));
    Files.writeString(build.resolve("bin"), "unused");
    FakeEngine hangs = new FakeEngine().otherwise(new FakeEngine.Outcome.Hang());
    FakeEngine passes = new FakeEngine().otherwise(FakeEngine.Outcome.passing("a"));
    FakeHost host = new FakeHost();
    List<ProteusEvent> events = new CopyOnWriteArrayList<>();
    TestPlan plan =
        new TestPlan(
            "p",
            "1",
            List.of("fake"),
            "default",
            Optional.empty(),
            List.of(TestSpec.of("t", "bin", Optional.empty(), List.of("a"))));
    try (ProteusCore core =
        ProteusCore.builder()
            .listener(events::add)
            .worker(
                LocalWorker.builder("w1", hangs.platform("fake"))
                    .workRoot(tmp.resolve("w1"))
                    .host(host)
                    .drainDeadline(Duration.ofMillis(300))
                    .build())
            .build()
            .start()) {
      JobId id =
          core.submit(new Build("b", List.of(plan), BuildFiles.ofFolder(build), Reservation.NONE))
              .getFirst();
      await().atMost(Duration.ofSeconds(10)).until(() -> !hangs.started().isEmpty());
      core.addWorker(
          LocalWorker.builder("w2", passes.platform("fake")).workRoot(tmp.resolve("w2")).build());
      host.requestShutdown();
      JobResult job = core.completion(id).get(30, TimeUnit.SECONDS);
      assertThat(job.tasks().getFirst().status()).isEqualTo(TaskStatus.PASSED);
      assertThat(job.tasks().getFirst().attempts())
          .extracting(AttemptRecord::workerId, a -> a.end().orElseThrow())
          .containsExactly(
              Tuple.tuple("w1", AttemptEnd.HANDED_BACK), Tuple.tuple("w2", AttemptEnd.COMPLETED));
      assertThat(job.tasks().getFirst().attempts().getFirst().reason().orElseThrow())
          .contains("w1 drained");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() ->
              core.workers().stream()
                  .anyMatch(
                      w -> w.descriptor().id().equals("w1") && w.state() == WorkerState.OFFLINE));
      assertThat(events)
          .filteredOn(ProteusEvent.WorkerChanged.class::isInstance)
          .map(ProteusEvent.WorkerChanged.class::cast)
          .filteredOn(e -> e.worker().equals("w1"))
          .extracting(ProteusEvent.WorkerChanged::to)
          .contains(WorkerState.DRAINING)
          .doesNotContain(WorkerState.QUARANTINED);
    }
  }
}
