package io.proteus.core.worker;

import io.proteus.core.process.ProcessPlatform;
import io.proteus.model.JobId;
import io.proteus.model.TaskId;
import io.proteus.model.TestSpec;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.WorkerContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs one scenario through a real local worker and prints how it ended, for tests that need a JVM
 * of their own (a small heap, a host environment of their choosing). Arguments: a work folder and
 * the scenario's shell text.
 */
public final class BigOutputMain {
  private BigOutputMain() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Path build = Files.createDirectories(root.resolve("build"));
    Files.writeString(build.resolve("s.sh"), args[1]);
    RecordingEvents events = new RecordingEvents();
    LocalWorker worker =
        LocalWorker.builder("big", new ProcessPlatform("linux", root.resolve("caches")))
            .workRoot(root.resolve("work"))
            .build();
    worker.start(new WorkerContext(events, Clock.systemUTC()));
    worker.dispatch(
        new DispatchRequest(
            new TaskId(new JobId("big"), 0),
            1,
            1,
            TestSpec.of("t", "s.sh", Optional.of("s.sh"), List.of()),
            "linux",
            BuildFiles.ofFolder(build),
            Duration.ofMinutes(5)));
    long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
    while (!events.ended(1) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    worker.stop();
    AttemptReport r = events.reports.get(1L);
    if (r == null) {
      System.out.println("OUTCOME " + events.seen);
      System.exit(3);
    }
    System.out.println(
        "OUTCOME completed exit="
            + r.exitCode()
            + " cases="
            + r.cases().size()
            + " log="
            + r.log().orElse(""));
    System.out.println("HEAP max=" + Runtime.getRuntime().maxMemory());
    System.exit(0);
  }
}
