package io.proteus.examples.embed;

import io.proteus.core.ProteusCore;
import io.proteus.core.adapter.FolderAdapter;
import io.proteus.core.process.ProcessPlatform;
import io.proteus.core.worker.LocalWorker;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.ProteusEvent;
import io.proteus.spi.Reservation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The README's embedding example: a core with a folder adapter and two local workers, plus a build
 * submitted directly from code. Runs as a program and as a test.
 */
public final class EmbeddingExample {
  private EmbeddingExample() {}

  /** Runs one plan whose binary is in {@code buildFolder}; returns its job's result. */
  public static JobResult runOnce(Path buildFolder, Path workFolder) throws Exception {
    var platform = new ProcessPlatform("linux", workFolder.resolve("caches"));
    try (ProteusCore core =
        ProteusCore.builder()
            .adapter(
                new FolderAdapter(
                    "inbox", workFolder.resolve("inbox"), workFolder.resolve("outbox")))
            .worker(LocalWorker.builder("w1", platform).workRoot(workFolder.resolve("w1")).build())
            .worker(LocalWorker.builder("w2", platform).workRoot(workFolder.resolve("w2")).build())
            .listener(event -> {
              if (event instanceof ProteusEvent.TaskChanged t && t.to().isFinal()) {
                System.out.println(t.test() + ": " + t.to());
              }
            })
            .build()
            .start()) {
      TestPlan plan =
          new TestPlan(
              "smoke",
              "1.0",
              List.of("linux"),
              "default",
              Optional.empty(),
              List.of(TestSpec.of("hello", "hello.sh", Optional.empty(), List.of())));
      List<JobId> jobs =
          core.submit(
              new Build(
                  "build-1", List.of(plan), BuildFiles.ofFolder(buildFolder), Reservation.NONE));
      return core.completion(jobs.getFirst()).get(1, java.util.concurrent.TimeUnit.MINUTES);
    }
  }

  /** Runs the example against a folder given as the first argument. */
  public static void main(String[] args) throws Exception {
    Path build = Path.of(args.length > 0 ? args[0] : ".");
    Path work = java.nio.file.Files.createTempDirectory("proteus-embed");
    JobResult result;
    try {
      result = runOnce(build, work);
    } finally {
      try (var walk = java.nio.file.Files.walk(work)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.out.println(
        "job " + result.id() + ": " + result.status() + ", all passed: " + result.allPassed());
    System.exit(result.allPassed() ? 0 : 1);
  }
}
