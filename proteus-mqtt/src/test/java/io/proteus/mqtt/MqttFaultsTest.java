package io.proteus.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.model.AttemptEnd;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestSpec;
import io.proteus.testkit.junit5.Mosquitto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet on a real mosquitto survives what breaks in a network: a broker restart, a partitioned
 * agent, a core away while an agent finishes. Nothing is lost and nothing is taken twice.
 */
class MqttFaultsTest {
  @TempDir Path tmp;
  Mosquitto broker;
  Fleet fleet;

  @BeforeEach
  void start() throws Exception {
    broker = Mosquitto.start(tmp.resolve("broker"));
    fleet = new Fleet(tmp.resolve("fleet"), broker.port(), b -> b);
  }

  @AfterEach
  void stop() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    broker.close();
  }

  @Test
  void aBrokerRestartMidJobLosesNothingAndTakesNothingTwice() throws Exception {
    fleet.agent("a1");
    fleet.agent("a2");
    List<TestSpec> tests = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      tests.add(Fleet.test("t" + i, 1, 0));
    }
    JobId job = fleet.submit(tests);
    fleet.awaitRunning(job, 0);
    broker.stop();
    broker.restart();
    JobResult done = fleet.awaitDone(job);
    assertThat(done.tasks()).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.PASSED));
    assertThat(fleet.passes(job, 6)).containsOnly(1L);
    assertThat(fleet.transport.stats().connections()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aPartitionedAgentsTaskIsRetriedElsewhereAndItsStaleAttemptAbortedWhenItReturns()
      throws Exception {
    fleet.agent("a1");
    JobId job = fleet.submit(List.of(Fleet.test("long", 20, 0)));
    fleet.awaitRunning(job, 0);
    fleet.proxies.get("a1").silence();
    fleet.agent("a2");
    await()
        .atMost(Fleet.LIMIT)
        .until(() -> fleet.task(job, 0).attempts().getFirst().end().isPresent());
    TaskResult lost = fleet.task(job, 0);
    assertThat(lost.attempts().getFirst().end()).contains(AttemptEnd.WORKER_LOST);
    assertThat(lost.attempts().getFirst().workerId()).isEqualTo("a1");
    fleet.proxies.get("a1").restore();
    await().atMost(Fleet.LIMIT).until(() -> fleet.agents.get("a1").unacknowledged().isEmpty());
    assertThat(fleet.task(job, 0).attempts()).hasSize(2);
    assertThat(fleet.task(job, 0).attempts().getLast().workerId()).isEqualTo("a2");
  }

  @Test
  void aResultMadeWhileTheCoreIsAwayIsDeliveredWhenItIsBack() throws Exception {
    fleet.agent("a1");
    JobId job = fleet.submit(List.of(Fleet.test("t", 1, 0)));
    fleet.awaitRunning(job, 0);
    fleet.coreProxy.cut();
    await().atMost(Fleet.LIMIT).until(() -> !fleet.agents.get("a1").unacknowledged().isEmpty());
    assertThat(fleet.task(job, 0).status()).isEqualTo(TaskStatus.RUNNING);
    fleet.coreProxy.restore();
    JobResult done = fleet.awaitDone(job);
    assertThat(done.tasks().getFirst().status()).isEqualTo(TaskStatus.PASSED);
    assertThat(done.tasks().getFirst().attempts()).hasSize(1);
    await().atMost(Fleet.LIMIT).until(() -> fleet.agents.get("a1").unacknowledged().isEmpty());
  }
}
