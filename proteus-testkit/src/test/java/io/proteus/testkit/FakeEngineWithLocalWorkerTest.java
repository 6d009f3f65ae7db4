package io.proteus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.core.ProteusCore;
import io.proteus.core.worker.LocalWorker;
import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.Build;
import io.proteus.model.JobResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestCaseResult;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.FailureKind;
import io.proteus.spi.Reservation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeEngineWithLocalWorkerTest {
  @TempDir Path tmp;

  @Test
  void scriptedOutcomesFlowThroughARealWorkerAndCore() throws Exception {
    Path build = Files.createDirectories(tmp.resolve("build"));
    Files.writeString(build.resolve("bin"), "unused");
    FakeEngine engine =
        new FakeEngine()
            .on("passes", FakeEngine.Outcome.passing("a", "b"))
            .on("fails", FakeEngine.Outcome.exit(2))
            .on("hangs", new FakeEngine.Outcome.TimedOut())
            .on("broken", new FakeEngine.Outcome.CannotStart("no such runtime"))
            .on("refused", FakeEngine.Outcome.refused(FailureKind.POLICY_REFUSED, "image x:1"));
    TestPlan plan =
        new TestPlan(
            "p",
            "1",
            List.of("fake"),
            "default",
            Optional.empty(),
            List.of(
                TestSpec.of("passes", "bin", Optional.empty(), List.of("a", "b")),
                TestSpec.of("fails", "bin", Optional.empty(), List.of()),
                TestSpec.of("hangs", "bin", Optional.empty(), List.of()),
                TestSpec.of("broken", "bin", Optional.empty(), List.of()),
                TestSpec.of("refused", "bin", Optional.empty(), List.of())));
    try (ProteusCore core =
        ProteusCore.builder()
            .worker(
                LocalWorker.builder("w1", engine.platform("fake"))
                    .workRoot(tmp.resolve("w1"))
                    .build())
            .worker(
                LocalWorker.builder("w2", engine.platform("fake"))
                    .workRoot(tmp.resolve("w2"))
                    .build())
            .build()
            .start()) {
      var ids =
          core.submit(new Build("b", List.of(plan), BuildFiles.ofFolder(build), Reservation.NONE));
      JobResult job = core.completion(ids.getFirst()).get(30, TimeUnit.SECONDS);
      assertThat(job.tasks())
          .extracting(t -> t.status())
          .containsExactly(
              TaskStatus.PASSED,
              TaskStatus.FAILED,
              TaskStatus.ERROR,
              TaskStatus.ERROR,
              TaskStatus.ERROR);
      assertThat(job.tasks().get(0).cases())
          .extracting(TestCaseResult::name)
          .containsExactly("a", "b");
      assertThat(job.tasks().get(1).attempts()).hasSize(1);
      assertThat(job.tasks().get(2).attempts())
          .extracting(a -> a.end().orElseThrow())
          .containsOnly(AttemptEnd.TIMEOUT);
      assertThat(job.tasks().get(3).attempts())
          .hasSize(3)
          .extracting(AttemptRecord::workerId)
          .contains("w1", "w2");
      assertThat(job.tasks().get(3).reason().orElseThrow()).contains("no such runtime");
      assertThat(job.tasks().get(4).attempts())
          .singleElement()
          .satisfies(a -> assertThat(a.end()).contains(AttemptEnd.ENGINE_ERROR));
      assertThat(job.tasks().get(4).reason()).contains("could not run, not retried: image x:1");
      assertThat(core.workers())
          .extracting(w -> w.state())
          .containsOnly(io.proteus.model.WorkerState.IDLE);
    }
  }
}
