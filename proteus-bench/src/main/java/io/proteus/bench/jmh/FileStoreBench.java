package io.proteus.bench.jmh;

import io.proteus.core.store.FileJobStore;
import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.JobStatus;
import io.proteus.model.TaskId;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.StoreBatch;
import io.proteus.spi.StoreResume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The file store on the machine's disk, with jobs of 20 tasks: batches written per second ({@code
 * writeBatch}, {@code jobsPerBatch} jobs each, every one with one task changed) and the time to
 * open a store of {@code stored} jobs and {@code resume()} it ({@code openAndResume}). The second
 * prints the bytes on disk per job and per task of its store to standard error.
 */
public class FileStoreBench {
  private static final int TASKS = 20;
  private static final Instant T0 = Instant.parse("2026-12-03T00:00:00Z");

  static JobResult job(String id, JobStatus status, int round) {
    List<TestSpec> tests = new ArrayList<>();
    List<TaskResult> tasks = new ArrayList<>();
    JobId jid = new JobId(id);
    for (int i = 0; i < TASKS; i++) {
      tests.add(TestSpec.of("test-" + i, "bin/test-" + i, Optional.of("scenario.json"), List.of()));
      boolean done = i < round % TASKS;
      List<AttemptRecord> attempts =
          done
              ? List.of(
                  new AttemptRecord(
                      1,
                      i + 1L,
                      "worker-1",
                      T0,
                      Optional.of(T0.plusSeconds(1)),
                      Optional.of(AttemptEnd.COMPLETED),
                      Optional.empty(),
                      Optional.of("logs/" + id + "/" + i)))
              : List.of();
      tasks.add(
          new TaskResult(
              new TaskId(jid, i),
              "test-" + i,
              "linux",
              done ? TaskStatus.PASSED : TaskStatus.QUEUED,
              attempts,
              Optional.empty(),
              List.of(),
              done ? Optional.of(0) : Optional.empty(),
              Optional.empty()));
    }
    TestPlan plan =
        new TestPlan("plan", "build-1", List.of("linux"), "default", Optional.empty(), tests);
    return new JobResult(
        jid, "bench", "build-1", plan, "linux", status, tasks, T0, Optional.empty());
  }

  static StoreBatch batch(List<String> ids, int round) {
    List<StoreBatch.StoredJob> jobs = new ArrayList<>();
    for (String id : ids) {
      jobs.add(
          new StoreBatch.StoredJob(
              job(id, JobStatus.ACTIVE, round),
              BuildFiles.NONE,
              List.of(new StoreBatch.TaskLease(round % TASKS, Optional.of((long) round), Set.of())),
              false));
    }
    return new StoreBatch(jobs, round);
  }

  static void deleteTree(Path p) {
    try (Stream<Path> all = Files.walk(p)) {
      for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A store with {@code jobsPerBatch} active jobs, written again batch after batch. */
  @State(Scope.Thread)
  public static class Writing {
    /** Jobs in each batch. */
    @Param({"1", "50"})
    public int jobsPerBatch;

    Path folder;
    FileJobStore store;
    List<String> ids = new ArrayList<>();
    int round;

    /** Makes the store and its jobs. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      folder = Files.createTempDirectory("proteus-store-bench");
      store = FileJobStore.open(folder);
      for (int i = 0; i < jobsPerBatch; i++) {
        ids.add("job-" + i);
      }
      store.write(batch(ids, 0));
    }

    /** Removes the store. */
    @TearDown(Level.Trial)
    public void tearDown() {
      store.close();
      deleteTree(folder);
    }
  }

  /** A closed store of {@code stored} jobs, half pending and half active. */
  @State(Scope.Thread)
  public static class Stored {
    /** Jobs in the store. */
    @Param({"10000"})
    public int stored;

    Path folder;

    /** Writes the store, in batches of 100 jobs, and prints its size. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      folder = Files.createTempDirectory("proteus-store-bench");
      try (FileJobStore s = FileJobStore.open(folder)) {
        for (int from = 0; from < stored; from += 100) {
          List<StoreBatch.StoredJob> jobs = new ArrayList<>();
          for (int i = from; i < Math.min(stored, from + 100); i++) {
            JobStatus status = i % 2 == 0 ? JobStatus.PENDING : JobStatus.ACTIVE;
            jobs.add(
                new StoreBatch.StoredJob(
                    job("job-" + i, status, i), BuildFiles.NONE, List.of(), false));
          }
          s.write(new StoreBatch(jobs, from));
        }
      }
      long bytes;
      try (Stream<Path> all = Files.walk(folder)) {
        bytes = all.filter(Files::isRegularFile).mapToLong(FileStoreBench::size).sum();
      }
      System.err.printf(
          Locale.ROOT,
          "file store of %d jobs of %d tasks: %d bytes, %.0f bytes per job, %.0f bytes per task%n",
          stored,
          TASKS,
          bytes,
          bytes / (double) stored,
          bytes / (double) stored / TASKS);
    }

    /** Removes the store. */
    @TearDown(Level.Trial)
    public void tearDown() {
      deleteTree(folder);
    }
  }

  static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One batch of {@code jobsPerBatch} jobs, durable when it returns. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void writeBatch(Writing w) {
    w.store.write(batch(w.ids, ++w.round));
  }

  /** Opens the store, resumes it and closes it. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public StoreResume openAndResume(Stored s) {
    try (FileJobStore store = FileJobStore.open(s.folder)) {
      return store.resume();
    }
  }
}
