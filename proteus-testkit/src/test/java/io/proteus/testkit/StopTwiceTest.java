package io.proteus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.core.ProteusCore;
import io.proteus.core.worker.LocalWorker;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.Reservation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second stop while the core waits for running tasks cuts the wait; the task stays stored. */
class StopTwiceTest {
  @TempDir Path tmp;

  @Test
  void aSecondStopCutsTheGraceAndTheRunningTaskStaysUnfinishedInTheStore() throws Exception {
    Path build = Files.createDirectories(tmp.resolve("build"));
    Files.writeString(build.resolve("bin"), "unused");
    FakeEngine hangs = new FakeEngine().otherwise(new FakeEngine.Outcome.Hang());
    ProteusCore core =
        ProteusCore.builder()
            .worker(
                LocalWorker.builder("w1", hangs.platform("fake"))
                    .workRoot(tmp.resolve("w1"))
                    .build())
            .build()
            .start();
    TestPlan plan =
        new TestPlan(
            "p",
            "1",
            List.of("fake"),
            "default",
            Optional.empty(),
            List.of(TestSpec.of("t", "bin", Optional.empty(), List.of())));
    JobId id =
        core.submit(new Build("b", List.of(plan), BuildFiles.ofFolder(build), Reservation.NONE))
            .getFirst();
    await().atMost(Duration.ofSeconds(10)).until(() -> !hangs.started().isEmpty());
    CompletableFuture<Void> first =
        CompletableFuture.runAsync(() -> core.stop(Duration.ofMinutes(10)));
    await().atMost(Duration.ofSeconds(10)).until(() -> core.state() == ProteusCore.State.STOPPING);
    assertThat(first).isNotDone();
    core.stop(Duration.ZERO);
    first.get(20, TimeUnit.SECONDS);
    assertThat(core.state()).isEqualTo(ProteusCore.State.TERMINATED);
    assertThat(core.store().find(id).orElseThrow().tasks().getFirst().status().isFinal()).isFalse();
    assertThat(core.store().find(id).orElseThrow().tasks().getFirst().status())
        .isNotEqualTo(TaskStatus.QUEUED);
  }
}
