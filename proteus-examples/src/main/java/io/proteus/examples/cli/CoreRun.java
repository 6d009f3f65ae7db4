package io.proteus.examples.cli;

import io.proteus.ProteusException;
import io.proteus.core.adapter.BuildLoader;
import io.proteus.core.archive.ArchiveLimits;
import io.proteus.core.internal.util.Trees;
import io.proteus.core.report.JunitFlavour;
import io.proteus.model.JobResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code proteus core --run PATH}: one build through the remote agents, then exit. */
final class CoreRun {
  private CoreRun() {}

  static int run(LauncherConfig config, CoreFolders folders, Path build, Path out, boolean demo)
      throws ConfigException, IOException {
    JunitFlavour flavour = JunitFlavour.parse(config.string("core.junitFlavour")).orElseThrow();
    if (!Files.exists(build)) {
      System.err.println("proteus core: " + build + ": no such file or folder");
      return 2;
    }
    if (!LocalRun.reportsFolderUsable("core", out)) {
      return 2;
    }
    Path work = Files.createTempDirectory("proteus-core-run");
    Path storage = config.path("core.storage").orElse(work.resolve("storage"));
    try (CoreSetup setup = CoreSetup.of(config, storage, new ProgressPrinter(System.out))) {
      BuildLoader.Loaded loaded;
      try {
        loaded =
            new BuildLoader(ArchiveLimits.DEFAULT)
                .load(build, work.resolve(BuildLoader.buildName(build)));
      } catch (ProteusException e) {
        System.err.println("proteus core: bad input: " + e.getMessage());
        return 2;
      }
      loaded.plan().warnings().forEach(w -> System.err.println("warning: " + w));
      List<JobResult> results;
      try {
        setup.startServer();
        results =
            LocalRun.runOn(
                setup.builder(),
                loaded.plan().plans(),
                loaded.root(),
                System.out,
                LocalRun.DEFAULT_DEADLINE);
      } catch (ProteusException e) {
        System.err.println("proteus core: " + e.getMessage());
        return 1;
      }
      if (demo) {
        return DemoCommand.finish(results, out, flavour);
      }
      SummaryTable.print(results, System.out);
      try {
        LocalRun.writeReports(results, out, System.out, flavour);
      } catch (IOException | RuntimeException e) {
        System.err.println("proteus core: the reports could not be written: " + e.getMessage());
        return 2;
      }
      return results.stream().allMatch(JobResult::allPassed) ? 0 : 1;
    } finally {
      Trees.deleteQuietly(work);
    }
  }
}
