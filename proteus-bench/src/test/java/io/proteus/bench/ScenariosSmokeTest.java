package io.proteus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every scenario once at smoke sizes so the runner never rots; no timing is asserted. The MQTT
 * scenario needs mosquitto: it is skipped when mosquitto is not installed, and fails then with
 * {@code CI=true}.
 */
class ScenariosSmokeTest {
  @TempDir Path work;

  @Test
  void everyScenarioProducesItsRowsWithFigures() throws Exception {
    List<Row> streamed = new ArrayList<>();
    Set<String> all = new LinkedHashSet<>(Scenarios.ALL);
    all.remove("mqtt");
    List<Row> rows = Scenarios.run(all, Sizes.smoke(), work, streamed::add);

    assertThat(rows).isEqualTo(streamed);
    assertThat(rows)
        .extracting(r -> r.scenario().substring(0, 12))
        .containsExactly(
            "scheduler on",
            "scheduler on",
            "scheduler on",
            "retained hea",
            "local no-op ",
            "a local task",
            "local no-op ",
            "a local task",
            "safe unpacki",
            "zip bomb: on");
    for (Row row : rows) {
      assertThat(row.value()).as(row.scenario()).isFinite();
      assertThat(row.markdown()).startsWith("| ").endsWith(" |");
    }
    assertThat(rows.get(0).value()).as("throughput ratio").isPositive();
    assertThat(rows.get(1).value()).as("p99 per dispatch").isPositive();
    assertThat(rows.get(3).value()).as("bytes per queued task").isPositive();
    assertThat(rows.get(4).value()).as("ratio to xargs").isPositive();
    assertThat(rows.get(6).value()).as("ratio to xargs, process-tree containment").isPositive();
    assertThat(rows.get(8).value()).as("ratio to tar").isPositive();
    assertThat(rows.get(9).ratio()).contains("refused");
  }

  @Test
  void theMqttScenarioProducesItsRowsOnARealMosquitto() throws Exception {
    if (Mosquitto.binary() == null) {
      String why = "mosquitto is not installed (apt-get install mosquitto)";
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true, so the MQTT scenario must run, but " + why);
      }
      Assumptions.abort("skipped: " + why);
    }

    List<Row> rows =
        Scenarios.run(new LinkedHashSet<>(List.of("mqtt")), Sizes.smoke(), work, r -> {});

    assertThat(rows)
        .extracting(Row::scenario)
        .satisfiesExactly(
            s -> assertThat(s).startsWith("mqtt raw peer: QoS 1"),
            s -> assertThat(s).startsWith("mqtt raw peer: 50 round trips pipelined"),
            s -> assertThat(s).startsWith("mqtt no-op task latency"),
            s -> assertThat(s).startsWith("mqtt no-op task throughput"),
            s -> assertThat(s).startsWith("mqtt: where a task's time goes"),
            s -> assertThat(s).contains("will delay 0 s"),
            s -> assertThat(s).contains("will delay 2 s"));
    for (Row row : rows) {
      assertThat(row.value()).as(row.scenario()).isFinite().isPositive();
    }
    assertThat(rows.get(2).bar()).containsPattern(": (PASS|MISS)$");
    assertThat(rows.get(3).bar()).containsPattern(": (PASS|MISS)$");
    assertThat(rows.get(6).value())
        .as("kill to re-dispatch with a 2 s will delay")
        .isGreaterThan(1.9e9);
  }

  @Test
  void onlyTheNamedScenariosRun() throws Exception {
    List<Row> rows =
        Scenarios.run(new LinkedHashSet<>(List.of("heap")), Sizes.smoke(), work, r -> {});

    assertThat(rows).singleElement().satisfies(r -> assertThat(r.bar()).isEqualTo("at most 2 KiB"));
  }

  @Test
  void unknownScenariosAndOptionsAreRefused() {
    assertThatThrownBy(
            () -> Scenarios.run(new LinkedHashSet<>(List.of("fast")), Sizes.smoke(), work, r -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown scenario fast");
    assertThatThrownBy(() -> Sizes.smoke().with(Map.of("heap-task", "3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--heap-task");
    assertThat(Sizes.smoke().with(Map.of("heap-tasks", "7", "timeout-seconds", "9")))
        .satisfies(s -> {
          assertThat(s.heapTasks()).isEqualTo(7);
          assertThat(s.timeout()).hasSeconds(9);
          assertThat(s.localTasks()).isEqualTo(Sizes.smoke().localTasks());
        });
  }
}
