package io.proteus.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.testkit.junit5.Mosquitto;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote agents are routed as local workers are: an agent scoped to a topic gets that topic's tasks
 * first and no others, generic agents the rest, and a task no agent could ever serve ends with why
 * once the core's unroutable grace (1 s here) has passed, never waiting for a lease or a retry.
 */
class MqttRoutingTest {
  @TempDir Path tmp;
  Mosquitto broker;
  Fleet fleet;

  @BeforeEach
  void start() throws Exception {
    broker = Mosquitto.start(tmp.resolve("broker"));
    fleet = new Fleet(tmp.resolve("fleet"), broker.port(), b -> b);
    fleet.agent("scoped", b -> b.topic("nightly"));
    fleet.agent("generic");
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
    broker.close();
  }

  @Test
  void aTopicsTasksGoToItsScopedAgentFirstAndOtherTasksToGenericAgents() {
    for (int round = 0; round < 3; round++) {
      JobId nightly = fleet.submit(List.of(Fleet.test("n" + round, 0, 0)), Optional.of("nightly"));
      JobId plain = fleet.submit(List.of(Fleet.test("p" + round, 0, 0)));
      TaskResult n = fleet.awaitDone(nightly).tasks().getFirst();
      TaskResult p = fleet.awaitDone(plain).tasks().getFirst();
      assertThat(n.status()).isEqualTo(TaskStatus.PASSED);
      assertThat(p.status()).isEqualTo(TaskStatus.PASSED);
      assertThat(n.attempts()).extracting(a -> a.workerId()).containsOnly("scoped");
      assertThat(p.attempts()).extracting(a -> a.workerId()).containsOnly("generic");
    }
  }

  @Test
  void aTaskNoAgentCouldServeEndsAtOnceSayingWhy() {
    JobId job =
        fleet.submit(List.of(Fleet.test("gpu", 0, 0).toBuilder().tags(Set.of("gpu")).build()));
    JobResult done = fleet.awaitDone(job);
    TaskResult t = done.tasks().getFirst();
    assertThat(t.status()).isEqualTo(TaskStatus.ERROR);
    assertThat(t.attempts()).isEmpty();
    assertThat(t.reason()).hasValueSatisfying(r -> assertThat(r).contains("gpu"));
  }
}
