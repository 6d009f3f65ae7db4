package io.proteus.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.docker.internal.Owner.Liveness;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An owner is gone only when provably so; a reused pid is not the owner; no process table lies. */
class OwnerTest {
  final Owner self = new Owner("m1", "b1", "pid:[1]", 10, "ticks:100");

  static Owner.ProcessTable table(Map<Long, String> processes) {
    return pid -> Optional.ofNullable(processes.get(pid));
  }

  @Test
  void aLiveOwnerIsAliveAndAReusedPidIsNot() {
    Owner other = new Owner("m1", "b1", "pid:[1]", 42, "ticks:500");
    assertThat(self.judge(other, table(Map.of(42L, "ticks:500")))).isEqualTo(Liveness.ALIVE);
    assertThat(self.judge(other, table(Map.of(42L, "ticks:9999")))).isEqualTo(Liveness.GONE);
    assertThat(self.judge(other, table(Map.of()))).isEqualTo(Liveness.GONE);
  }

  @Test
  void whatCannotBeToldFromHereIsNeverGone() {
    var none = table(Map.of());
    assertThat(self.judge(new Owner("m2", "b1", "pid:[1]", 42, "ticks:1"), none))
        .as("another machine")
        .isEqualTo(Liveness.UNKNOWN);
    assertThat(self.judge(new Owner("m1", "b1", "pid:[2]", 42, "ticks:1"), none))
        .as("another pid namespace")
        .isEqualTo(Liveness.UNKNOWN);
    assertThat(self.judge(new Owner("m1", "unknown", "pid:[1]", 42, "ticks:1"), none))
        .isEqualTo(Liveness.UNKNOWN);
    assertThat(
            self.judge(new Owner("m1", "b1", "pid:[1]", 42, "ms:5"), table(Map.of(42L, "ticks:5"))))
        .isEqualTo(Liveness.UNKNOWN);
    assertThat(Owner.fromLabels(Map.of(Labels.PID, "42", Labels.HOST, "h"))).isEmpty();
  }

  @Test
  void anOwnerFromAnEarlierBootOfThisMachineIsGone() {
    assertThat(self.judge(new Owner("m1", "b0", "pid:[1]", 10, "ticks:100"), table(Map.of())))
        .isEqualTo(Liveness.GONE);
  }

  @Test
  void thisProcessIsAliveToItselfAndItsLabelsRoundTrip() {
    Owner me = Owner.current();
    assertThat(Owner.fromLabels(me.labels())).contains(me);
    assertThat(me.judge(me, Owner.ProcessTable.LOCAL)).isEqualTo(Liveness.ALIVE);
    assertThat(me.started()).startsWith("ticks:");
  }
}
