package io.proteus.examples.cli;

import io.proteus.core.adapter.BuildLoader;
import io.proteus.core.archive.ArchiveLimits;
import io.proteus.core.internal.util.Trees;
import io.proteus.core.report.JunitFlavour;
import io.proteus.model.JobResult;
import io.proteus.model.TaskStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code proteus demo}: runs the bundled sample build with no setup. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a bundled sample build: two platforms, passing and failing tests, JavaScript and shell scenarios,",
      "a test that hangs until its timeout, and a worker that dies once so a retry shows.",
      "Exits 0 when the run completed; the sample's failures are expected and labelled so."
          + " Exits 2 when the reports cannot be written."
    })
final class DemoCommand implements Callable<Integer> {
  static final List<String> FILES =
      List.of(
          "tests.json",
          "tests-docker.json",
          "scenarios/sandbox.sh",
          "bin/calc.sh",
          "scenarios/math.js",
          "scenarios/strings.sh",
          "scenarios/known-bug.sh",
          "scenarios/partial.js",
          "scenarios/hang.sh");

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where to write the reports (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("proteus-out", "demo");

  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      description =
          "process (default) or docker: run each task in a hardened container (needs a Docker daemon).")
  String engine = "process";

  @Option(names = "--junit-flavour", paramLabel = "FLAVOUR", description = LocalRun.FLAVOUR_HELP)
  String junitFlavour = "surefire";

  @Option(
      names = "--distributed",
      description =
          "Run the sample through a broker, a core and three agents, each a process of its own"
              + " (proteus broker, core and worker), instead of in this process.")
  boolean distributed;

  @Option(
      names = "--broker",
      paramLabel = "HOST:PORT",
      description =
          "With --distributed: use this MQTT 5 broker (anonymous access) instead of starting the"
              + " embedded one.")
  @org.jspecify.annotations.Nullable
  String broker;

  @Override
  public Integer call() throws IOException {
    if (!engine.equals("process") && !engine.equals("docker")) {
      System.err.println("proteus demo: --engine is process or docker, not " + engine);
      return 2;
    }
    if (broker != null && (!distributed || !DistributedDemo.isHostPort(broker))) {
      System.err.println("proteus demo: --broker HOST:PORT goes with --distributed");
      return 2;
    }
    if (distributed && engine.equals("docker")) {
      System.err.println("proteus demo: --distributed runs the process engine only for now");
      return 2;
    }
    java.util.Optional<JunitFlavour> flavour = LocalRun.flavour("demo", junitFlavour);
    if (flavour.isEmpty() || !LocalRun.reportsFolderUsable("demo", out)) {
      return 2;
    }
    Path work = Files.createTempDirectory("proteus-demo");
    try {
      return demo(work, flavour.get());
    } finally {
      Trees.deleteQuietly(work);
    }
  }

  private int demo(Path work, JunitFlavour flavour) throws IOException {
    Path build = unpackSample(work.resolve("sample-build"));
    if (distributed) {
      System.out.println("Proteus demo (" + engine + " engine): sample build in " + build);
      return new DistributedDemo(work).run(build, out.toAbsolutePath(), junitFlavour, broker);
    }
    java.util.function.Function<String, io.proteus.spi.Platform> platforms =
        LocalRun.processes(work);
    if (engine.equals("docker")) {
      var docker = DockerDemo.platforms(work, DockerDemo.demoPolicy(), "proteus demo");
      if (docker.isEmpty()) {
        return 2;
      }
      platforms = docker.get();
      Files.move(
          build.resolve("tests-docker.json"),
          build.resolve("tests.json"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    var plan = new BuildLoader(ArchiveLimits.DEFAULT).readPlan(build, "sample-build");
    System.out.println("Proteus demo (" + engine + " engine): sample build in " + build);
    List<JobResult> results =
        LocalRun.run(
            plan.plans(),
            build,
            2,
            work,
            System.out,
            (b, i) -> i == 0 ? new FlakyWorker(b.build()) : b.build(),
            platforms);
    return finish(results, out, flavour);
  }

  /**
   * Prints the summary table, writes the reports under {@code out} and says whether every failure
   * was expected; 0, or 2 when the reports cannot be written.
   */
  static int finish(List<JobResult> results, Path out, JunitFlavour flavour) {
    SummaryTable.print(results, System.out);
    try {
      LocalRun.writeReports(results, out, System.out, flavour);
    } catch (IOException | RuntimeException e) {
      System.err.println(
          "proteus demo: the run ended (results above) but its reports could not be written under "
              + out
              + ": "
              + e.getMessage());
      return 2;
    }
    long unexpected =
        results.stream()
            .flatMap(j ->
                j.tasks().stream()
                    .filter(
                        t -> t.status() != TaskStatus.PASSED && !SummaryTable.expectedToFail(j, t)))
            .count();
    boolean retried =
        results.stream()
                .flatMap(j -> j.tasks().stream())
                .mapToInt(t -> t.attempts().size())
                .max()
                .orElse(0)
            > 1;
    System.out.println();
    System.out.println(
        "Demo completed: "
            + (unexpected == 0
                ? "every failure above was expected"
                : unexpected + " unexpected failures")
            + (retried ? "; retries shown above" : ""));
    return 0;
  }

  static Path unpackSample(Path dir) throws IOException {
    for (String f : FILES) {
      Path dest = dir.resolve(f);
      Files.createDirectories(dest.getParent());
      try (InputStream in =
          DemoCommand.class.getResourceAsStream("/io/proteus/examples/demo/" + f)) {
        if (in == null) {
          throw new IOException("the demo's sample file " + f + " is missing from the jar");
        }
        Files.copy(in, dest);
      }
    }
    return dir;
  }
}
