package io.proteus.testkit.junit5.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.JobStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.JobStore;
import io.proteus.spi.StoreBatch;
import io.proteus.spi.StoreResume;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link JobStore} must do: three lists by status, replace on save, an idempotent
 * outbox, batches that store every job and put the final ones in the outbox, idempotently (the core
 * writes a refused batch again), and a {@link JobStore#resume()} that gives back the unfinished
 * jobs with their merged leases, files folders and the highest token. A durable store overrides
 * {@link #reopen} so that every case also checks what survives a restart.
 */
public abstract class JobStoreContract {
  private JobStore store;
  @TempDir Path temp;

  /** Makes an empty store. */
  protected abstract JobStore newStore();

  /**
   * The store as a new core would find it: a durable store closes this one and opens its folder
   * again. By default the same store (a store in memory survives only in its own instance).
   */
  protected JobStore reopen(JobStore current) {
    return current;
  }

  @BeforeEach
  void makeStore() {
    store = newStore();
  }

  /** A job with one test, for contract tests. */
  protected static JobResult job(String id, JobStatus status) {
    TestPlan plan =
        new TestPlan(
            "p",
            "1",
            List.of("linux"),
            "default",
            Optional.empty(),
            List.of(TestSpec.of("t", "bin", Optional.empty(), List.of())));
    return new JobResult(
        new JobId(id),
        "a",
        "b",
        plan,
        "linux",
        status,
        List.of(),
        Instant.parse("2026-01-01T00:00:00Z"),
        Optional.empty());
  }

  private void restart() {
    store = reopen(store);
  }

  private static StoreBatch batch(long lastToken, StoreBatch.StoredJob... jobs) {
    return new StoreBatch(List.of(jobs), lastToken);
  }

  private static StoreBatch.StoredJob stored(
      String id, JobStatus status, BuildFiles files, StoreBatch.TaskLease... leases) {
    return new StoreBatch.StoredJob(job(id, status), files, List.of(leases), false);
  }

  private static StoreBatch.TaskLease lease(int index, Optional<Long> token, String... failedOn) {
    return new StoreBatch.TaskLease(index, token, Set.of(failedOn));
  }

  @Test
  void resumeMergesLeasesByIndexAcrossBatches() {
    store.write(
        batch(
            3,
            stored(
                "j",
                JobStatus.ACTIVE,
                BuildFiles.NONE,
                lease(0, Optional.of(3L)),
                lease(1, Optional.empty(), "w1"))));
    restart();
    store.write(
        batch(5, stored("j", JobStatus.ACTIVE, BuildFiles.NONE, lease(0, Optional.of(5L), "w2"))));
    restart();
    StoreResume r = store.resume();
    assertThat(r.jobs())
        .singleElement()
        .satisfies(j -> {
          assertThat(j.job().id()).isEqualTo(new JobId("j"));
          assertThat(j.leases())
              .containsExactlyInAnyOrder(
                  lease(0, Optional.of(5L), "w2"), lease(1, Optional.empty(), "w1"));
        });
  }

  @Test
  void resumeKeepsTheHighestTokenEverWritten() {
    store.write(batch(9, stored("a", JobStatus.PENDING, BuildFiles.NONE)));
    restart();
    store.write(batch(4, stored("b", JobStatus.PENDING, BuildFiles.NONE)));
    restart();
    assertThat(store.resume().lastToken()).isEqualTo(9);
  }

  @Test
  void resumeGivesTheFilesFolderALaterBatchDidNotName() {
    Path files = temp.resolve("build");
    store.write(batch(1, stored("j", JobStatus.PENDING, BuildFiles.ofFolder(files))));
    restart();
    store.write(batch(2, stored("j", JobStatus.ACTIVE, BuildFiles.NONE)));
    store.write(batch(2, stored("k", JobStatus.ACTIVE, BuildFiles.NONE)));
    restart();
    assertThat(store.resume().jobs())
        .extracting(j -> j.job().id().value(), StoreResume.ResumedJob::filesFolder)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "j", Optional.of(files.toAbsolutePath().normalize())),
            org.assertj.core.groups.Tuple.tuple("k", Optional.empty()));
  }

  @Test
  void resumeLeavesFinishedJobsOutAndKeepsSubmissionOrder() {
    store.write(
        batch(
            1,
            stored("p2", JobStatus.PENDING, BuildFiles.NONE),
            stored("done", JobStatus.COMPLETED, BuildFiles.NONE),
            stored("a1", JobStatus.ACTIVE, BuildFiles.NONE),
            stored("gone", JobStatus.CANCELLED, BuildFiles.NONE)));
    store.write(batch(1, stored("p2", JobStatus.ACTIVE, BuildFiles.NONE)));
    restart();
    assertThat(store.resume().jobs())
        .extracting(j -> j.job().id().value())
        .containsExactly("p2", "a1");
  }

  @Test
  void theOutboxSurvivesARestartInOrder() {
    store.write(
        batch(
            1,
            new StoreBatch.StoredJob(
                job("x", JobStatus.COMPLETED), BuildFiles.NONE, List.of(), true),
            new StoreBatch.StoredJob(
                job("y", JobStatus.CANCELLED), BuildFiles.NONE, List.of(), true)));
    store.addToOutbox(new JobId("z"));
    restart();
    assertThat(store.outbox()).containsExactly(new JobId("x"), new JobId("y"), new JobId("z"));
    store.removeFromOutbox(new JobId("x"));
    restart();
    assertThat(store.outbox()).containsExactly(new JobId("y"), new JobId("z"));
    assertThat(store.resume().jobs()).isEmpty();
  }

  @Test
  void aSavedJobIsFoundAndReplacedBySavingAgain() {
    store.save(job("j1", JobStatus.PENDING));
    assertThat(store.find(new JobId("j1")))
        .get()
        .extracting(JobResult::status)
        .isEqualTo(JobStatus.PENDING);
    store.save(job("j1", JobStatus.ACTIVE));
    restart();
    assertThat(store.find(new JobId("j1")))
        .get()
        .extracting(JobResult::status)
        .isEqualTo(JobStatus.ACTIVE);
    assertThat(store.find(new JobId("nope"))).isEmpty();
  }

  @Test
  void jobsSitInTheListTheirStatusNamesInSubmissionOrder() {
    store.save(job("p1", JobStatus.PENDING));
    store.save(job("a1", JobStatus.ACTIVE));
    store.save(job("p2", JobStatus.PENDING));
    store.save(job("c1", JobStatus.COMPLETED));
    store.save(job("x1", JobStatus.CANCELLED));
    assertThat(store.list(JobStore.JobList.PENDING))
        .extracting(j -> j.id().value())
        .containsExactly("p1", "p2");
    assertThat(store.list(JobStore.JobList.ACTIVE))
        .extracting(j -> j.id().value())
        .containsExactly("a1");
    assertThat(store.list(JobStore.JobList.ARCHIVE))
        .extracting(j -> j.id().value())
        .containsExactly("c1", "x1");
    store.save(job("p1", JobStatus.COMPLETED));
    restart();
    assertThat(store.list(JobStore.JobList.PENDING))
        .extracting(j -> j.id().value())
        .containsExactly("p2");
    assertThat(store.list(JobStore.JobList.ARCHIVE)).extracting(j -> j.id().value()).contains("p1");
  }

  @Test
  void theOutboxIsOrderedAndIdempotent() {
    store.addToOutbox(new JobId("a"));
    store.addToOutbox(new JobId("b"));
    store.addToOutbox(new JobId("a"));
    assertThat(store.outbox()).containsExactly(new JobId("a"), new JobId("b"));
    store.removeFromOutbox(new JobId("a"));
    store.removeFromOutbox(new JobId("a"));
    assertThat(store.outbox()).containsExactly(new JobId("b"));
  }

  @Test
  void aBatchStoresEveryJobAndPutsTheFinalOnesInTheOutbox() {
    store.save(job("old", JobStatus.PENDING));
    store.write(
        new StoreBatch(
            List.of(
                new StoreBatch.StoredJob(
                    job("old", JobStatus.ACTIVE),
                    BuildFiles.NONE,
                    List.of(new StoreBatch.TaskLease(0, Optional.of(7L), Set.of("w1"))),
                    false),
                new StoreBatch.StoredJob(
                    job("done", JobStatus.COMPLETED), BuildFiles.NONE, List.of(), true)),
            7));
    restart();
    assertThat(store.find(new JobId("old")))
        .get()
        .extracting(JobResult::status)
        .isEqualTo(JobStatus.ACTIVE);
    assertThat(store.list(JobStore.JobList.ARCHIVE))
        .extracting(JobResult::id)
        .containsExactly(new JobId("done"));
    assertThat(store.outbox()).containsExactly(new JobId("done"));
  }

  @Test
  void aBatchWrittenTwiceLeavesTheSameState() {
    StoreBatch batch =
        new StoreBatch(
            List.of(
                new StoreBatch.StoredJob(
                    job("done", JobStatus.COMPLETED), BuildFiles.NONE, List.of(), true)),
            1);
    store.write(batch);
    restart();
    store.write(batch);
    restart();
    assertThat(store.list(JobStore.JobList.ARCHIVE)).hasSize(1);
    assertThat(store.outbox()).containsExactly(new JobId("done"));
  }
}
