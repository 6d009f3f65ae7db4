package io.proteus.examples.cli;

import io.proteus.core.ProteusCore;
import io.proteus.core.process.ProcessPlatform;
import io.proteus.core.report.Reports;
import io.proteus.core.worker.LocalWorker;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TestPlan;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.Platform;
import io.proteus.spi.Reservation;
import io.proteus.spi.Worker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs plans through an in-process core with local workers: {@code workers} per pool and platform
 * the plans name. Shared by {@code run} and {@code demo}.
 */
final class LocalRun {
  private LocalRun() {}

  /** Makes the worker for one slot; the demo swaps one for a flaky one. */
  interface WorkerFactory extends BiFunction<LocalWorker.Builder, Integer, Worker> {}

  static List<JobResult> run(
      List<TestPlan> plans,
      Path buildRoot,
      int workers,
      Path workDir,
      PrintStream out,
      WorkerFactory factory,
      Function<String, Platform> platforms)
      throws IOException {
    var builder =
        ProteusCore.builder()
            .listener(new ProgressPrinter(out))
            .storage(Files.createDirectories(workDir.resolve("storage")), Long.MAX_VALUE / 4)
            .unroutableGrace(Duration.ofSeconds(2))
            .leaseGrace(Duration.ofSeconds(10));
    Set<String> slots = new LinkedHashSet<>();
    for (TestPlan p : plans) {
      for (String platform : p.platforms()) {
        slots.add(p.pool() + "\u0000" + platform);
      }
    }
    int n = 0;
    for (String slot : slots) {
      String[] parts = slot.split("\u0000");
      Platform platform = platforms.apply(parts[1]);
      for (int i = 1; i <= workers; i++) {
        String id = "local-" + parts[1] + "-" + i;
        LocalWorker.Builder wb =
            LocalWorker.builder(id, platform)
                .pool(parts[0])
                .workRoot(workDir.resolve("workers").resolve(id));
        builder.worker(factory.apply(wb, n++));
      }
    }
    try (ProteusCore core = builder.build().start()) {
      List<JobId> ids =
          core.submit(
              new Build(
                  buildRoot.getFileName().toString(),
                  plans,
                  BuildFiles.ofFolder(buildRoot),
                  Reservation.NONE));
      List<CompletableFuture<JobResult>> futures = new ArrayList<>();
      ids.forEach(id -> futures.add(core.completion(id)));
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
      return futures.stream().map(CompletableFuture::join).toList();
    }
  }

  /** Local processes, caches under the work folder. */
  static Function<String, Platform> processes(Path workDir) {
    return name -> new ProcessPlatform(name, workDir.resolve("caches"));
  }

  static void writeReports(List<JobResult> results, Path outDir, PrintStream out)
      throws IOException {
    Reports.write(results, outDir);
    out.println(
        "Reports written to "
            + outDir.toAbsolutePath()
            + " (summary.json and one .junit.xml per job)");
  }
}
