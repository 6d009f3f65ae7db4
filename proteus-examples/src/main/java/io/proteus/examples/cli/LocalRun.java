package io.proteus.examples.cli;

import io.proteus.core.ProteusCore;
import io.proteus.core.ProteusCoreBuilder;
import io.proteus.core.process.ProcessOptions;
import io.proteus.core.process.ProcessPlatform;
import io.proteus.core.report.JunitFlavour;
import io.proteus.core.report.Reports;
import io.proteus.core.worker.LocalWorker;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TestPlan;
import io.proteus.model.WorkerState;
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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  /** How long a run may take before what is left is cancelled, unless told otherwise. */
  static final Duration DEFAULT_DEADLINE = Duration.ofHours(12);

  static List<JobResult> run(
      List<TestPlan> plans,
      Path buildRoot,
      int workers,
      Path workDir,
      PrintStream out,
      WorkerFactory factory,
      Function<String, Platform> platforms)
      throws IOException {
    return run(plans, buildRoot, workers, workDir, out, factory, platforms, DEFAULT_DEADLINE);
  }

  static List<JobResult> run(
      List<TestPlan> plans,
      Path buildRoot,
      int workers,
      Path workDir,
      PrintStream out,
      WorkerFactory factory,
      Function<String, Platform> platforms,
      Duration deadline)
      throws IOException {
    return runOn(
        localCore(plans, workers, workDir, out, factory, platforms),
        plans,
        buildRoot,
        out,
        deadline);
  }

  /**
   * A core builder with {@code workers} local workers per pool and platform the plans name, each
   * with a stable id ({@code local-<platform>-<n>}) so that a resumed run finds its workers again.
   */
  static ProteusCoreBuilder localCore(
      List<TestPlan> plans,
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
    Set<String> ids = new HashSet<>();
    for (String slot : slots) {
      String[] parts = slot.split("\u0000");
      Platform platform = platforms.apply(parts[1]);
      for (int i = 1; i <= workers; i++) {
        String id = "local-" + parts[1] + "-" + i;
        if (!ids.add(id)) {
          id = "local-" + parts[0] + "-" + parts[1] + "-" + i;
          ids.add(id);
        }
        LocalWorker.Builder wb =
            LocalWorker.builder(id, platform)
                .pool(parts[0])
                .workRoot(workDir.resolve("workers").resolve(id));
        builder.worker(factory.apply(wb, n++));
      }
    }
    return builder;
  }

  /**
   * Runs the plans through the core {@code builder} makes (its workers, transports and listener
   * already set) and returns the results once every job ended or the deadline passed.
   */
  static List<JobResult> runOn(
      ProteusCoreBuilder builder,
      List<TestPlan> plans,
      Path buildRoot,
      PrintStream out,
      Duration deadline)
      throws IOException {
    try (ProteusCore core = builder.build().start()) {
      List<JobId> jobIds =
          core.submit(
              new Build(
                  buildRoot.getFileName().toString(),
                  plans,
                  BuildFiles.ofFolder(buildRoot),
                  Reservation.NONE));
      List<CompletableFuture<JobResult>> futures = new ArrayList<>();
      jobIds.forEach(id -> futures.add(core.completion(id)));
      CompletableFuture<Void> all =
          CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
      try {
        all.get(Math.min(deadline.toSeconds(), 10L * 365 * 86_400), TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        out.println("The run's deadline of " + deadline + " passed; cancelling what is left.");
        jobIds.forEach(core::cancel);
        try {
          all.get(1, TimeUnit.MINUTES);
        } catch (TimeoutException | ExecutionException again) {
          throw new IOException("the run did not end after it was cancelled", again);
        } catch (InterruptedException again) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the run", again);
        }
      } catch (ExecutionException e) {
        throw new IOException("the run failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the run", e);
      }
      return latest(core, futures.stream().map(CompletableFuture::join).toList());
    }
  }

  /**
   * The results as the core holds them once no worker is still winding down an aborted attempt, so
   * that the logs of killed attempts are in them too; waits a bounded time.
   */
  static List<JobResult> latest(ProteusCore core, List<JobResult> finished) {
    long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < until
        && core.workers().stream()
            .anyMatch(w -> w.state() == WorkerState.BUSY && w.task().isEmpty())) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return finished.stream().map(j -> core.job(j.id()).orElse(j)).toList();
  }

  /** Local processes, caches under the work folder. */
  static Function<String, Platform> processes(Path workDir) {
    return processes(workDir, List.of());
  }

  /** Local processes that also get the host variables {@code passEnvironment} names. */
  static Function<String, Platform> processes(Path workDir, List<String> passEnvironment) {
    ProcessOptions options =
        ProcessOptions.defaults().withPassEnvironment(passEnvironment.toArray(String[]::new));
    return name -> new ProcessPlatform(name, workDir.resolve("caches"), options);
  }

  /** The help text of {@code --junit-flavour}, shared by {@code run} and {@code demo}. */
  static final String FLAVOUR_HELP =
      "JUnit XML for which consumer: surefire (default; Maven Surefire's report schema, with"
          + " retried attempts as flakyError and rerunError) or junit4 (Jenkins' junit-4.xsd, with"
          + " each task's worker as hostname and start as timestamp).";

  /** The flavour named on the command line, or a message on stderr and empty. */
  static java.util.Optional<JunitFlavour> flavour(String command, String name) {
    java.util.Optional<JunitFlavour> f = JunitFlavour.parse(name);
    if (f.isEmpty()) {
      System.err.println(
          "proteus " + command + ": --junit-flavour is surefire or junit4, not " + name);
    }
    return f;
  }

  /**
   * Whether the reports can go under {@code outDir}: it is a writable folder, or the nearest folder
   * above it that exists is. Checked before a run, so a run is not spent on reports that cannot be
   * written; says why not on stderr. Creates nothing.
   */
  static boolean reportsFolderUsable(String command, Path outDir) {
    Path p = outDir.toAbsolutePath().normalize();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    String problem =
        p == null
            ? "no folder above it exists"
            : !Files.isDirectory(p)
                ? p + " is not a folder"
                : !Files.isWritable(p) ? p + " is not writable" : "";
    if (problem.isEmpty()) {
      return true;
    }
    System.err.println(
        "proteus " + command + ": cannot write the reports under " + outDir + ": " + problem);
    return false;
  }

  /**
   * Writes the reports under {@code outDir}, with every attempt's log copied to {@code
   * outDir/logs}; returns the results pointing at the copies.
   */
  static List<JobResult> writeReports(
      List<JobResult> results, Path outDir, PrintStream out, JunitFlavour flavour)
      throws IOException {
    Files.createDirectories(outDir);
    List<JobResult> withLogs = AttemptLogs.copyUnder(results, outDir);
    Reports.write(withLogs, outDir, flavour);
    out.println(
        "Reports written to "
            + outDir.toAbsolutePath()
            + " (report.html to read in a browser, summary.json, one .junit.xml per job, each"
            + " attempt's log under logs/)");
    return withLogs;
  }
}
