package io.proteus.testkit.junit5;

import io.proteus.core.worker.LocalWorker;
import io.proteus.model.JobId;
import io.proteus.model.TaskId;
import io.proteus.model.TestSpec;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Worker;
import io.proteus.testkit.Behavior;
import io.proteus.testkit.FakeEngine;
import io.proteus.testkit.FakeScheduler;
import io.proteus.testkit.ManualClock;
import io.proteus.testkit.ScriptedWorker;
import io.proteus.testkit.junit5.contract.WorkerContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

class WorkerContractTests {
  @TempDir Path root;

  static DispatchRequest request(long token, String test, BuildFiles files) {
    return new DispatchRequest(
        new TaskId(new JobId("j"), (int) token),
        1,
        token,
        TestSpec.of(test, "bin", Optional.empty(), List.of()),
        "linux",
        files,
        Duration.ofMinutes(1));
  }

  @Nested
  class LocalWorkerContract extends WorkerContract {
    BuildFiles files;

    @Override
    protected Worker newWorker() throws Exception {
      Path build = Files.createDirectories(root.resolve("build"));
      Files.writeString(build.resolve("bin"), "unused");
      files = BuildFiles.ofFolder(build);
      FakeEngine engine =
          new FakeEngine()
              .on("pass", FakeEngine.Outcome.passing("ok"))
              .on("hang", new FakeEngine.Outcome.Hang());
      return LocalWorker.builder("w", engine.platform("linux"))
          .workRoot(root.resolve("work"))
          .build();
    }

    @Override
    protected DispatchRequest passing(long token) {
      return request(token, "pass", files);
    }

    @Override
    protected boolean reportsReleases() {
      return true;
    }

    @Override
    protected DispatchRequest hanging(long token) {
      return request(token, "hang", files);
    }
  }

  @Nested
  class ScriptedWorkerContract extends WorkerContract {
    final ManualClock clock = new ManualClock();
    final FakeScheduler scheduler = new FakeScheduler(clock);

    @Override
    protected Worker newWorker() {
      ScriptedWorker w = ScriptedWorker.of("w", "default", "linux").on("hang", Behavior.hang());
      w.useScheduler(scheduler);
      return w;
    }

    @Override
    protected DispatchRequest passing(long token) {
      return request(token, "pass", BuildFiles.NONE);
    }

    @Override
    protected DispatchRequest hanging(long token) {
      return request(token, "hang", BuildFiles.NONE);
    }

    @Override
    protected void settle() {
      clock.advance(Duration.ofSeconds(1));
      scheduler.runDue();
    }
  }
}
