package io.proteus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.ProteusException;
import io.proteus.core.store.InMemoryJobStore;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.JobStore;
import io.proteus.spi.Reservation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A step that fails, store write included, changes nothing; storage is never leaked. */
class TransitionsAreAtomicTest {
  final AtomicBoolean storeDown = new AtomicBoolean();
  final JobStore flaky = new FlakyStore(storeDown);
  final ProteusTestEnvironment env = ProteusTestEnvironment.create(b -> b.store(flaky));

  @AfterEach
  void close() {
    env.close();
  }

  static TestPlan plan(String... names) {
    return new TestPlan(
        "plan",
        "1",
        List.of("linux"),
        "lab",
        Optional.empty(),
        java.util.Arrays.stream(names)
            .map(n -> TestSpec.of(n, "bin/" + n, Optional.empty(), List.of()))
            .toList());
  }

  @Test
  void aSubmitTheStoreRefusesLeavesNoJobBehind() {
    env.addWorkers(ScriptedWorker.of("w", "lab", "linux"));
    storeDown.set(true);
    assertThatThrownBy(() -> env.submit(plan("a")))
        .isInstanceOf(ProteusException.class)
        .hasMessageContaining("the job store failed to save");
    env.runUntilIdle();
    assertThat(env.core().jobs()).isEmpty();
    assertThat(env.worker("w").dispatched()).isEmpty();
  }

  @Test
  void aResultTheStoreRefusesIsStoredAndDeliveredOnceTheStoreIsBack() {
    env.addWorkers(
        ScriptedWorker.of("w", "lab", "linux").on("a", Behavior.pass(Duration.ofSeconds(2))));
    JobId job = env.submit(plan("a")).getFirst();
    var done = env.core().completion(job);
    env.advance(Duration.ofSeconds(1));
    assertThat(env.task(job, 0).status()).isEqualTo(TaskStatus.RUNNING);
    storeDown.set(true);
    env.advance(Duration.ofSeconds(2));
    assertThat(env.task(job, 0).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(flaky.find(job).orElseThrow().tasks().getFirst().status())
        .isNotEqualTo(TaskStatus.PASSED);
    assertThat(flaky.outbox()).doesNotContain(job);
    assertThat(done).isNotDone();
    assertThat(env.core().completion(job)).isNotDone();
    env.advance(Duration.ofSeconds(5));
    assertThat(done).isNotDone();
    storeDown.set(false);
    env.advance(Duration.ofSeconds(2));
    assertThat(done).isCompleted();
    assertThat(env.task(job, 0).attempts()).hasSize(1);
    assertThat(env.worker("w").dispatched()).hasSize(1);
    assertThat(flaky.find(job)).hasValueSatisfying(j -> assertThat(j.allPassed()).isTrue());
  }

  @Test
  void aBuildSubmittedTwiceUnderOneIdReleasesBothReservations() {
    env.addWorkers(ScriptedWorker.of("w", "lab", "linux"));
    AtomicInteger released = new AtomicInteger();
    for (int i = 0; i < 2; i++) {
      env.core()
          .submit(
              new Build(
                  "same-id",
                  List.of(plan("a")),
                  BuildFiles.ofFolder(Path.of(".")),
                  counting(released)));
    }
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(5));
    assertThat(env.core().jobs()).hasSize(2).allMatch(JobResult::allPassed);
    assertThat(released).hasValue(2);
  }

  static Reservation counting(AtomicInteger released) {
    return new Reservation() {
      @Override
      public long bytes() {
        return 1;
      }

      @Override
      public void release() {
        released.incrementAndGet();
      }
    };
  }

  /** The in-memory store, failing every write while {@code down} is set. */
  static final class FlakyStore implements JobStore {
    private final InMemoryJobStore inner = new InMemoryJobStore();
    private final AtomicBoolean down;

    FlakyStore(AtomicBoolean down) {
      this.down = down;
    }

    @Override
    public void save(JobResult job) {
      if (down.get()) {
        throw new IllegalStateException("disk full");
      }
      inner.save(job);
    }

    @Override
    public Optional<JobResult> find(JobId id) {
      return inner.find(id);
    }

    @Override
    public List<JobResult> list(JobList list) {
      return inner.list(list);
    }

    @Override
    public void addToOutbox(JobId id) {
      inner.addToOutbox(id);
    }

    @Override
    public List<JobId> outbox() {
      return inner.outbox();
    }

    @Override
    public void removeFromOutbox(JobId id) {
      inner.removeFromOutbox(id);
    }
  }
}
