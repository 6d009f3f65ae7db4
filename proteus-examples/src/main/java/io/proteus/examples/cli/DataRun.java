package io.proteus.examples.cli;

import io.proteus.ProteusException;
import io.proteus.core.ProteusCore;
import io.proteus.core.ProteusCoreBuilder;
import io.proteus.core.adapter.BuildLoader;
import io.proteus.core.archive.ArchiveLimits;
import io.proteus.core.plan.PlanDocument;
import io.proteus.core.store.FileJobStore;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TestPlan;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.JobStore;
import io.proteus.spi.Reservation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code proteus run --data DIR}: a run whose state is kept in a folder, so that the same command
 * after a crash (or {@code kill -9}) resumes it: finished tasks are not run again, the rest run,
 * and the reports come out once every job has ended. A run that already ended only writes its
 * reports.
 */
final class DataRun {
  private DataRun() {}

  /** What the run needs from the command line. */
  record Options(
      Path data,
      @Nullable Path source,
      int workers,
      Duration deadline,
      Function<Path, Function<String, io.proteus.spi.Platform>> platforms) {}

  /** The run's results, or an exit code with its message already printed. */
  sealed interface Outcome {
    /** The run ended; these are its jobs. */
    record Ended(List<JobResult> results) implements Outcome {}

    /** The run could not go on. */
    record Refused(int exitCode) implements Outcome {}
  }

  static Outcome run(Options o, PrintStream out) throws IOException {
    RunFolder folder;
    try {
      Optional<RunFolder> existing = RunFolder.existing(o.data());
      if (existing.isPresent()) {
        folder = existing.get();
        if (o.source() != null
            && !o.source().toAbsolutePath().normalize().equals(folder.source())) {
          System.err.println(
              "proteus run: "
                  + o.data()
                  + " holds the run of "
                  + folder.source()
                  + ", not "
                  + o.source()
                  + "; give another --data folder");
          return new Outcome.Refused(2);
        }
        out.println("Resuming the run of " + folder.source() + " kept in " + o.data());
      } else if (o.source() == null) {
        System.err.println("proteus run: " + o.data() + " holds no run; give the build to run");
        return new Outcome.Refused(2);
      } else {
        Path source = o.source();
        folder =
            RunFolder.create(
                o.data(),
                source,
                into -> new BuildLoader(ArchiveLimits.DEFAULT).load(source, into));
      }
    } catch (RunFolder.Refused e) {
      System.err.println("proteus run: --data: " + e.getMessage());
      return new Outcome.Refused(2);
    } catch (ProteusException e) {
      System.err.println("proteus run: bad input: " + e.getMessage());
      return new Outcome.Refused(2);
    }
    PlanDocument plan;
    try {
      plan = new BuildLoader(ArchiveLimits.DEFAULT).readPlan(folder.build(), "build");
    } catch (ProteusException e) {
      System.err.println("proteus run: the kept build cannot be read: " + e.getMessage());
      return new Outcome.Refused(2);
    }
    return resume(folder, plan.plans(), o, out);
  }

  private static Outcome resume(RunFolder folder, List<TestPlan> plans, Options o, PrintStream out)
      throws IOException {
    try (FileJobStore store = FileJobStore.open(folder.store())) {
      return resume(folder, plans, o, out, store);
    }
  }

  private static Outcome resume(
      RunFolder folder, List<TestPlan> plans, Options o, PrintStream out, JobStore store)
      throws IOException {
    List<JobId> stored = new ArrayList<>();
    for (JobStore.JobList list : JobStore.JobList.values()) {
      store.list(list).forEach(j -> stored.add(j.id()));
    }
    RunAdapter adapter = new RunAdapter(folder);
    String buildId = folder.source().getFileName().toString();
    if (stored.isEmpty()) {
      adapter.submitOnce(
          new Build(buildId, plans, BuildFiles.ofFolder(folder.build()), Reservation.NONE));
    }
    ProteusCoreBuilder builder =
        LocalRun.localCore(
                plans,
                o.workers(),
                folder.work(),
                out,
                (b, i) -> b.build(),
                o.platforms().apply(folder.work()))
            .store(store)
            .adapter(adapter);
    try (ProteusCore core = builder.build().start()) {
      List<JobId> ids =
          stored.isEmpty() ? await(adapter.submitted(), Duration.ofMinutes(1), "submit") : stored;
      adapter.expect(ids);
      try {
        await(adapter.done(), o.deadline(), "run");
      } catch (IOException e) {
        if (!(e.getCause() instanceof TimeoutException)) {
          throw e;
        }
        out.println("The run's deadline of " + o.deadline() + " passed; cancelling what is left.");
        ids.forEach(core::cancel);
        await(adapter.done(), Duration.ofMinutes(1), "cancelled run");
      }
      List<JobResult> results = new ArrayList<>();
      for (JobId id : ids) {
        core.job(id).ifPresent(results::add);
      }
      return new Outcome.Ended(LocalRun.latest(core, results));
    }
  }

  private static <T> T await(
      java.util.concurrent.CompletableFuture<T> f, Duration limit, String what) throws IOException {
    try {
      return f.get(Math.min(limit.toSeconds(), 10L * 365 * 86_400), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IOException("the " + what + " did not end within " + limit, e);
    } catch (ExecutionException e) {
      throw new IOException("the " + what + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the " + what, e);
    }
  }
}
