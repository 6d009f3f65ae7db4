package io.proteus.examples.cli;

import io.proteus.ProteusException;
import io.proteus.core.ProteusCore;
import io.proteus.core.adapter.FolderAdapter;
import io.proteus.core.archive.ArchiveLimits;
import io.proteus.core.report.JunitFlavour;
import io.proteus.core.store.FileJobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code proteus core}: a long-running core whose workers are agents on an MQTT broker. */
@Command(
    name = "core",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a core until it is stopped (Ctrl-C or SIGTERM): agents join it through the MQTT broker"
          + " (proteus worker), builds dropped in core.inbox are run on them, and each job's"
          + " reports are written to core.outbox/<build>/, as the folder adapter does. Build files"
          + " reach the agents through the core's artifact server.",
      "SIGTERM stops it gracefully: it takes no new build and gives running tasks --stop-grace"
          + " to finish before aborting them; a second SIGTERM aborts them at once.",
      "Settings: --config FILE, PROTEUS_<KEY> environment variables, --set KEY=VALUE"
          + " (see docs/distributed.md).",
      "Exit codes: with --run, those of proteus run; otherwise 143 stopped by SIGTERM, 130 by"
          + " Ctrl-C, 1 the broker or the artifact server could not be used, 2 bad settings."
    })
final class CoreCommand implements Callable<Integer> {
  @Mixin ParentWatch watch = new ParentWatch();

  @Mixin ConfigOptions options = new ConfigOptions();

  @Option(
      names = "--stop-grace",
      paramLabel = "DURATION",
      description =
          "On SIGTERM, how long running tasks may go on before they are aborted, as an ISO-8601"
              + " duration (default: PT10S).")
  Duration stopGrace = Duration.ofSeconds(10);

  @Option(
      names = "--run",
      paramLabel = "PATH",
      description =
          "Run this one build (a folder, .zip or .tar.gz) on the agents instead of watching the"
              + " inbox: print its progress and summary, write its reports to --out and exit as"
              + " proteus run does.")
  @Nullable Path run;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "With --run: where the reports go (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("proteus-out");

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Keep the core's jobs in a durable store in DIR (created if missing): a core started"
              + " again on the same DIR, after a stop or a crash, resumes every unfinished job."
              + " Without it, jobs are kept in memory only. See docs/durability.md.")
  @Nullable Path data;

  @Option(names = "--demo", hidden = true, description = "With --run: end as proteus demo does.")
  boolean demo;

  @Override
  public Integer call() throws IOException, InterruptedException {
    watch.start();
    LauncherConfig config;
    try {
      config = run == null ? options.load("core") : options.load();
      CoreFolders folders = CoreFolders.of(config);
      if (run != null) {
        if (data != null) {
          System.err.println("proteus core: --data is for a core that serves; --run keeps nothing");
          return 2;
        }
        return CoreRun.run(config, folders, run, out, demo);
      }
      return serve(config, folders);
    } catch (ConfigException e) {
      System.err.println("proteus core: " + e.getMessage());
      return 2;
    }
  }

  private int serve(LauncherConfig config, CoreFolders folders)
      throws ConfigException, IOException, InterruptedException {
    JunitFlavour flavour = JunitFlavour.parse(config.string("core.junitFlavour")).orElseThrow();
    CoreSetup setup = CoreSetup.of(config, folders.storage(), new ProgressPrinter(System.out));
    FileJobStore store = null;
    if (data != null) {
      try {
        store = FileJobStore.open(Files.createDirectories(data).resolve("store"));
        setup.builder().store(store);
      } catch (IOException | ProteusException e) {
        setup.close();
        System.err.println("proteus core: --data " + data + ": " + e.getMessage());
        return 2;
      }
    }
    setup
        .builder()
        .adapter(
            new FolderAdapter(
                "inbox", folders.inbox(), folders.outbox(), ArchiveLimits.DEFAULT, flavour));
    ProteusCore core;
    String artifacts;
    try {
      artifacts = setup.startServer();
      core = setup.builder().build().start();
    } catch (ProteusException e) {
      setup.close();
      if (store != null) {
        store.close();
      }
      System.err.println("proteus core: " + e.getMessage());
      return 1;
    }
    FileJobStore kept = store;
    CountDownLatch stopped = new CountDownLatch(1);
    ControlFolder.watch(
        ControlFolder.of(folders.inbox()), core, config.duration("core.pollInterval"));
    TermSignal.install(
        "proteus-core",
        () -> System.exit(143),
        () -> {
          System.out.println("proteus core: second SIGTERM, stopping at once");
          System.out.flush();
          core.stop(Duration.ZERO);
        });
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("proteus core: stopping");
                  core.stop(stopGrace);
                  setup.close();
                  if (kept != null) {
                    kept.close();
                  }
                  System.out.println("proteus core: stopped");
                  System.out.flush();
                  stopped.countDown();
                },
                "proteus-core-stop"));
    System.out.println(
        "proteus core: up on "
            + setup.mqtt()
            + "; artifacts at "
            + artifacts
            + "; builds dropped in "
            + folders.inbox()
            + " are run, their reports go to "
            + folders.outbox());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
