package io.proteus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.JobId;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.spi.Pool;
import io.proteus.spi.PoolChoice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A pool is offered a bounded number of candidates, the longest idle first. */
class PoolOfferTest {
  final List<PoolChoice> offers = new ArrayList<>();
  final Pool recording =
      new Pool() {
        @Override
        public String name() {
          return "lab";
        }

        @Override
        public PoolChoice.Candidate choose(PoolChoice choice) {
          offers.add(choice);
          return choice.candidates().getLast();
        }
      };
  final ProteusTestEnvironment env = ProteusTestEnvironment.create(b -> b.pool(recording));

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void aLargeFleetOffersTheSixtyFourLongestIdle() {
    for (int i = 0; i < 100; i++) {
      env.addWorkers(ScriptedWorker.of(String.format("w%03d", i), "lab", "linux"));
    }
    TestPlan first =
        new TestPlan(
            "warm",
            "1",
            List.of("linux"),
            "lab",
            Optional.empty(),
            List.of(TestSpec.of("t", "bin/t", Optional.empty(), List.of())));
    JobId warm = env.submit(first).getFirst();
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(5));
    assertThat(env.job(warm).allPassed()).isTrue();
    assertThat(offers).hasSize(1);
    assertThat(offers.getFirst().candidates()).hasSize(64);
    assertThat(offers.getFirst().candidates().getLast().worker().id()).isEqualTo("w063");

    offers.clear();
    env.submit(first);
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(5));
    assertThat(offers.getFirst().candidates())
        .extracting(c -> c.worker().id())
        .hasSize(64)
        .doesNotContain("w063")
        .startsWith("w000");
  }
}
