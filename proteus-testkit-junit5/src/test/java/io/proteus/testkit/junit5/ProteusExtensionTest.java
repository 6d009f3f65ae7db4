package io.proteus.testkit.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.ProteusException;
import io.proteus.model.JobId;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.testkit.ProteusAssertions;
import io.proteus.testkit.ProteusTestEnvironment;
import io.proteus.testkit.ScriptedWorker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@ProteusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProteusExtensionTest {
  static ProteusTestEnvironment fromFirstTest;

  @Test
  @Order(1)
  void injectsAWorkingEnvironment(ProteusTestEnvironment env, ProteusTestEnvironment same) {
    assertThat(same).isSameAs(env);
    env.addWorkers(ScriptedWorker.of("w", "default", "linux"));
    JobId id =
        env.submit(
                new TestPlan(
                    "p",
                    "1",
                    List.of("linux"),
                    "default",
                    Optional.empty(),
                    List.of(TestSpec.of("t", "bin", Optional.empty(), List.of()))))
            .getFirst();
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(1));
    ProteusAssertions.assertThat(env.job(id)).isCompleted().allPassed();
    fromFirstTest = env;
  }

  @Test
  @Order(2)
  void givesEachTestAFreshOneAndClosesTheLast(ProteusTestEnvironment env) {
    assertThat(env).isNotSameAs(fromFirstTest);
    assertThat(env.core().jobs()).isEmpty();
    assertThatThrownBy(() -> fromFirstTest.core().submit(null))
        .isInstanceOf(ProteusException.class)
        .hasMessageContaining("stopped");
  }
}
