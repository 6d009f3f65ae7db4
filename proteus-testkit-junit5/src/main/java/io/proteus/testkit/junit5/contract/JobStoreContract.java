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
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobStore} must do: three lists by status, replace on save, an idempotent
 * outbox, and batches that store every job and put the final ones in the outbox, idempotently (the
 * core writes a refused batch again).
 */
public abstract class JobStoreContract {
  private JobStore store;

  /** Makes an empty store. */
  protected abstract JobStore newStore();

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

  @Test
  void aSavedJobIsFoundAndReplacedBySavingAgain() {
    store.save(job("j1", JobStatus.PENDING));
    assertThat(store.find(new JobId("j1")))
        .get()
        .extracting(JobResult::status)
        .isEqualTo(JobStatus.PENDING);
    store.save(job("j1", JobStatus.ACTIVE));
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
    store.write(batch);
    assertThat(store.list(JobStore.JobList.ARCHIVE)).hasSize(1);
    assertThat(store.outbox()).containsExactly(new JobId("done"));
  }
}
