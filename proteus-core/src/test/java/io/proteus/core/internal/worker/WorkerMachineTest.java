package io.proteus.core.internal.worker;

import static io.proteus.model.WorkerState.BOOTING;
import static io.proteus.model.WorkerState.BUSY;
import static io.proteus.model.WorkerState.DRAINING;
import static io.proteus.model.WorkerState.IDLE;
import static io.proteus.model.WorkerState.OFFLINE;
import static io.proteus.model.WorkerState.QUARANTINED;
import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.WorkerState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WorkerMachineTest {
  static final List<WorkerEvent> EVENTS =
      List.of(
          new WorkerEvent.Ready(),
          new WorkerEvent.Assign(),
          new WorkerEvent.Release(false, false),
          new WorkerEvent.Release(true, false),
          new WorkerEvent.Release(true, true),
          new WorkerEvent.Drain(),
          new WorkerEvent.Lost(),
          new WorkerEvent.Lift(),
          new WorkerEvent.Quarantine());

  /** Expected next state per state, in the order of {@link #EVENTS}; null means ignored. */
  static final Map<WorkerState, WorkerState[]> TABLE = new EnumMap<>(WorkerState.class);

  static {
    TABLE.put(
        BOOTING,
        new WorkerState[] {IDLE, null, null, null, null, OFFLINE, OFFLINE, null, QUARANTINED});
    TABLE.put(
        IDLE,
        new WorkerState[] {null, BUSY, null, null, null, OFFLINE, OFFLINE, null, QUARANTINED});
    TABLE.put(
        BUSY,
        new WorkerState[] {null, null, IDLE, IDLE, QUARANTINED, DRAINING, OFFLINE, null, null});
    TABLE.put(
        DRAINING,
        new WorkerState[] {null, null, OFFLINE, OFFLINE, OFFLINE, null, OFFLINE, null, null});
    TABLE.put(OFFLINE, new WorkerState[] {IDLE, null, null, null, null, null, null, null, null});
    TABLE.put(
        QUARANTINED,
        new WorkerState[] {null, null, null, null, null, OFFLINE, OFFLINE, IDLE, null});
  }

  static Stream<Arguments> everyPair() {
    List<Arguments> out = new ArrayList<>();
    for (WorkerState s : WorkerState.values()) {
      for (int i = 0; i < EVENTS.size(); i++) {
        out.add(Arguments.of(s, EVENTS.get(i), TABLE.get(s)[i]));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} + {1} -> {2}")
  @MethodSource("everyPair")
  void everyStateHandlesEveryEvent(WorkerState state, WorkerEvent event, WorkerState expected) {
    WorkerMachine.Transition t = WorkerMachine.next(state, event);
    if (expected == null) {
      assertThat(t.ignored()).isPresent();
      assertThat(t.next()).isEqualTo(state);
    } else {
      assertThat(t.ignored()).isEmpty();
      assertThat(t.next()).isEqualTo(expected);
    }
  }
}
