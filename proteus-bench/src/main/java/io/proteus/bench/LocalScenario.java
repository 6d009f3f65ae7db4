package io.proteus.bench;

import io.proteus.core.ProteusCore;
import io.proteus.core.ProteusCoreBuilder;
import io.proteus.core.process.Containment;
import io.proteus.core.process.ProcessOptions;
import io.proteus.core.process.ProcessPlatform;
import io.proteus.core.worker.LocalWorker;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.spi.BuildFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Local process tasks as {@code proteus run} makes them (a {@link LocalWorker} on a {@link
 * ProcessPlatform} per slot), each test a {@code #!/bin/sh} script that exits 0.
 */
final class LocalScenario {
  private LocalScenario() {}

  static List<Row> rows(Sizes sizes, Path work) throws IOException, InterruptedException {
    Path build = work.resolve("build");
    int scripts = Math.max(sizes.localTasks(), 1);
    Scripts.write(build, scripts);
    List<Row> rows = new ArrayList<>();
    rows.add(throughput(sizes, work, build, Containment.AUTO));
    rows.add(latency(sizes, work, build, Containment.AUTO));
    rows.add(throughput(sizes, work, build, Containment.PROCESS_TREE));
    rows.add(latency(sizes, work, build, Containment.PROCESS_TREE));
    return rows;
  }

  private static Row throughput(Sizes sizes, Path work, Path build, Containment how)
      throws IOException, InterruptedException {
    int tasks = sizes.localTasks();
    long proteus;
    String failed;
    try (ProteusCore core = core(work.resolve("two-" + how), 2, how).build().start()) {
      runJob(core, scripts("warm", Math.min(20, tasks), build));
      long start = System.nanoTime();
      failed = runJob(core, scripts("throughput", tasks, build));
      proteus = System.nanoTime() - start;
    }
    Path list = work.resolve("scripts.txt");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < tasks; i++) {
      lines.append(build.resolve(Scripts.name(i)).toAbsolutePath()).append('\n');
    }
    Files.writeString(list, lines, StandardCharsets.UTF_8);
    Scripts.run(new ProcessBuilder("xargs", "-P2", "-n1").redirectInput(list.toFile()));
    long start = System.nanoTime();
    Scripts.run(new ProcessBuilder("xargs", "-P2", "-n1").redirectInput(list.toFile()));
    long xargs = System.nanoTime() - start;
    double ratio = (double) xargs / proteus;
    return new Row(
        "local no-op process tasks, 2 workers, " + label(how) + ": " + tasks + " scripts" + failed,
        Row.millis((double) proteus / tasks) + " per task (" + Row.millis(proteus) + " in all)",
        "xargs -P2: " + Row.millis((double) xargs / tasks) + " per task",
        Row.times(ratio) + " of xargs' throughput",
        "at least 0.5x",
        ratio);
  }

  private static Row latency(Sizes sizes, Path work, Path build, Containment how)
      throws IOException, InterruptedException {
    int rounds = sizes.latencyRounds();
    Samples bare = new Samples(rounds);
    Path script = build.resolve(Scripts.name(0)).toAbsolutePath();
    for (int i = 0; i < rounds + 10; i++) {
      long start = System.nanoTime();
      Scripts.run(new ProcessBuilder(script.toString()));
      if (i >= 10) {
        bare.add(System.nanoTime() - start);
      }
    }
    Samples task = new Samples(rounds);
    StringBuilder failed = new StringBuilder();
    try (ProteusCore core = core(work.resolve("one-" + how), 1, how).build().start()) {
      for (int i = 0; i < rounds + 10; i++) {
        long start = System.nanoTime();
        String f = runJob(core, scripts("latency-" + i, 1, build));
        if (failed.isEmpty()) {
          failed.append(f);
        }
        if (i >= 10) {
          task.add(System.nanoTime() - start);
        }
      }
    }
    double added = task.percentile(50) - bare.percentile(50);
    return new Row(
        "a local task's added latency, "
            + label(how)
            + ": "
            + rounds
            + " one-task jobs, submit to completion"
            + failed,
        "p50 " + Row.millis(task.percentile(50)) + ", p99 " + Row.millis(task.percentile(99)),
        "bare ProcessBuilder start to exit: p50 " + Row.millis(bare.percentile(50)),
        Row.millis(added) + " more at p50",
        "at most 1 ms more at p50",
        added);
  }

  private static ProteusCoreBuilder core(Path work, int workers, Containment how)
      throws IOException {
    ProcessPlatform platform =
        new ProcessPlatform(
            "linux", work.resolve("caches"), ProcessOptions.defaults().withContainment(how));
    ProteusCoreBuilder b =
        ProteusCore.builder()
            .storage(Files.createDirectories(work.resolve("storage")), Long.MAX_VALUE / 4)
            .unroutableGrace(Duration.ofSeconds(30));
    for (int i = 1; i <= workers; i++) {
      b.worker(
          LocalWorker.builder("local-" + i, platform)
              .pool(Builds.POOL)
              .workRoot(work.resolve("workers").resolve("local-" + i))
              .build());
    }
    return b;
  }

  private static String label(Containment how) {
    return how == Containment.AUTO
        ? "default containment (a PID namespace where the machine gives one)"
        : "process-tree containment";
  }

  private static Build scripts(String id, int tasks, Path build) {
    return Builds.of(id, tasks, Scripts::name, BuildFiles.ofFolder(build));
  }

  /** Runs one job to its end; returns {@link Builds#failures} of it. */
  private static String runJob(ProteusCore core, Build build) throws InterruptedException {
    JobId id = core.submit(build).get(0);
    try {
      return Builds.failures(core.completion(id).get(10, TimeUnit.MINUTES));
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the job did not complete", e);
    }
  }
}
