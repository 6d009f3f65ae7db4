package io.proteus.examples.cli;

import io.proteus.ProteusException;
import io.proteus.core.adapter.BuildLoader;
import io.proteus.core.archive.ArchiveLimits;
import io.proteus.core.internal.util.Trees;
import io.proteus.core.process.ProcessOptions;
import io.proteus.core.report.JunitFlavour;
import io.proteus.docker.DockerPolicy;
import io.proteus.model.JobResult;
import io.proteus.spi.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code proteus run PATH}: runs one build locally. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one build (a folder, .zip or .tar.gz with a tests.json at its root) through an in-process core with local workers.",
      "Exit codes: 0 every task passed, 1 a test failed or could not run, 2 the input was bad or"
          + " the reports could not be written."
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "PATH",
      description =
          "The build: a folder, a .zip, a .tar.gz or a .tgz. May be left out with --data when the"
              + " folder holds a run to resume.")
  @Nullable Path path;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Keep the run's state in DIR (created if missing) so that the same command resumes it"
              + " after a crash: finished tasks are not run again. A run that ended only writes"
              + " its reports again. See docs/durability.md.")
  @Nullable Path data;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Where to write the JUnit XML, report.html and summary.json (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("proteus-out");

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Local workers per platform (default: ${DEFAULT-VALUE}).")
  int workers = 2;

  @Option(
      names = "--deadline",
      paramLabel = "DURATION",
      description =
          "Cancel what is left of the run after this long, as an ISO-8601 duration such as PT2H"
              + " (default: PT12H).")
  Duration deadline = LocalRun.DEFAULT_DEADLINE;

  @Option(
      names = "--pass-env",
      paramLabel = "NAME",
      description =
          "A host environment variable the tests may see (repeatable); NAME* passes every"
              + " variable starting with NAME. Tests get a short allowlist by default.")
  List<String> passEnv = new java.util.ArrayList<>();

  @Option(names = "--junit-flavour", paramLabel = "FLAVOUR", description = LocalRun.FLAVOUR_HELP)
  String junitFlavour = "surefire";

  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      description =
          "process (default): each task a local process; docker: each task in a hardened container"
              + " under the policy below (needs a Docker daemon and --image).")
  String engine = "process";

  @Mixin DockerOptions docker = new DockerOptions();

  @Option(
      names = "--keep-work",
      description =
          "Keep the run's work folder (unpacked build, workspaces, logs) in the temp folder"
              + " instead of deleting it when the run ends.")
  boolean keepWork;

  @Override
  public Integer call() throws IOException {
    if (workers < 1) {
      System.err.println("proteus run: --workers must be at least 1");
      return 2;
    }
    try {
      var unused = ProcessOptions.defaults().withPassEnvironment(passEnv.toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      System.err.println("proteus run: --pass-env: " + e.getMessage());
      return 2;
    }
    if (!engine.equals("process") && !engine.equals("docker")) {
      System.err.println("proteus run: --engine is process or docker, not " + engine);
      return 2;
    }
    DockerPolicy policy = null;
    if (engine.equals("docker") && !passEnv.isEmpty()) {
      System.err.println(
          "proteus run: --pass-env is for --engine process; containers get only their test's"
              + " environment");
      return 2;
    }
    if (engine.equals("docker")) {
      try {
        policy = docker.policy();
      } catch (IllegalArgumentException e) {
        System.err.println("proteus run: " + e.getMessage());
        return 2;
      }
    } else if (docker.anyGiven()) {
      System.err.println(
          "proteus run: --image, --allow-image, --memory, --max-memory and --allow-network"
              + " need --engine docker");
      return 2;
    }
    if (deadline.isNegative() || deadline.isZero()) {
      System.err.println("proteus run: --deadline must be positive");
      return 2;
    }
    if (path == null && data == null) {
      System.err.println("proteus run: give the build to run (PATH)");
      return 2;
    }
    if (path != null && !Files.exists(path)) {
      System.err.println("proteus run: " + path + ": no such file or folder");
      return 2;
    }
    Optional<JunitFlavour> flavour = LocalRun.flavour("run", junitFlavour);
    if (flavour.isEmpty() || !LocalRun.reportsFolderUsable("run", out)) {
      return 2;
    }
    if (data != null) {
      if (keepWork) {
        System.err.println("proteus run: --keep-work is for runs without --data (DIR is kept)");
        return 2;
      }
      return runKept(data, policy, flavour.get());
    }
    Path work = Files.createTempDirectory("proteus-run");
    try {
      return run(work, policy, flavour.get());
    } finally {
      if (keepWork) {
        System.err.println("proteus run: the work folder is kept at " + work);
      } else {
        Trees.deleteQuietly(work);
      }
    }
  }

  private int runKept(Path dir, @Nullable DockerPolicy policy, JunitFlavour flavour)
      throws IOException {
    Function<Path, Function<String, Platform>> platforms;
    if (policy == null) {
      platforms = work -> LocalRun.processes(work, passEnv);
    } else {
      Optional<Function<String, Platform>> containers =
          DockerDemo.platforms(dir.toAbsolutePath().resolve("work"), policy, "proteus run");
      if (containers.isEmpty()) {
        return 2;
      }
      platforms = work -> containers.get();
    }
    DataRun.Outcome outcome =
        DataRun.run(new DataRun.Options(dir, path, workers, deadline, platforms), System.out);
    return switch (outcome) {
      case DataRun.Outcome.Refused r -> r.exitCode();
      case DataRun.Outcome.Ended e -> finish(e.results(), flavour);
    };
  }

  private int finish(List<JobResult> results, JunitFlavour flavour) {
    SummaryTable.print(results, System.out);
    try {
      LocalRun.writeReports(results, out, System.out, flavour);
    } catch (IOException | RuntimeException e) {
      System.err.println(
          "proteus run: the run ended (results above) but its reports could not be written under "
              + out
              + ": "
              + e.getMessage());
      return 2;
    }
    return results.stream().allMatch(JobResult::allPassed) ? 0 : 1;
  }

  private int run(Path work, @Nullable DockerPolicy policy, JunitFlavour flavour)
      throws IOException {
    Path source = java.util.Objects.requireNonNull(path);
    BuildLoader.Loaded loaded;
    try {
      loaded = new BuildLoader(ArchiveLimits.DEFAULT).load(source, work.resolve("build"));
    } catch (ProteusException e) {
      System.err.println("proteus run: bad input: " + e.getMessage());
      return 2;
    }
    loaded.plan().warnings().forEach(w -> System.err.println("warning: " + w));
    Function<String, Platform> platforms;
    if (policy == null) {
      platforms = LocalRun.processes(work, passEnv);
    } else {
      Optional<Function<String, Platform>> containers =
          DockerDemo.platforms(work, policy, "proteus run");
      if (containers.isEmpty()) {
        return 2;
      }
      platforms = containers.get();
    }
    List<JobResult> results =
        LocalRun.run(
            loaded.plan().plans(),
            loaded.root(),
            workers,
            work,
            System.out,
            (b, i) -> b.build(),
            platforms,
            deadline);
    return finish(results, flavour);
  }
}
