package io.proteus.core.internal.worker;

import io.proteus.core.internal.worker.WorkerEvent.Assign;
import io.proteus.core.internal.worker.WorkerEvent.Drain;
import io.proteus.core.internal.worker.WorkerEvent.Lift;
import io.proteus.core.internal.worker.WorkerEvent.Lost;
import io.proteus.core.internal.worker.WorkerEvent.Quarantine;
import io.proteus.core.internal.worker.WorkerEvent.Ready;
import io.proteus.core.internal.worker.WorkerEvent.Release;
import io.proteus.model.WorkerState;
import java.util.Optional;

/**
 * The worker lifecycle: booting, idle and busy, draining, offline, quarantined. A busy worker an
 * operator quarantines stays busy; the core quarantines it when its task ends. A pure function of
 * (state, event) handling every pair; nonsense is ignored with a reason.
 */
public final class WorkerMachine {
  private WorkerMachine() {}

  /**
   * The result of one event.
   *
   * @param next the state after it
   * @param ignored why it was ignored, when it was
   */
  public record Transition(WorkerState next, Optional<String> ignored) {
    static Transition to(WorkerState next) {
      return new Transition(next, Optional.empty());
    }

    static Transition ignore(WorkerState same, WorkerEvent e) {
      return new Transition(same, Optional.of(e.getClass().getSimpleName() + " while " + same));
    }
  }

  /** The transition for {@code event} in {@code state}. */
  public static Transition next(WorkerState state, WorkerEvent event) {
    return switch (state) {
      case BOOTING ->
          switch (event) {
            case Ready r -> Transition.to(WorkerState.IDLE);
            case Assign a -> Transition.ignore(state, event);
            case Release r -> Transition.ignore(state, event);
            case Drain d -> Transition.to(WorkerState.OFFLINE);
            case Lost l -> Transition.to(WorkerState.OFFLINE);
            case Lift l -> Transition.ignore(state, event);
            case Quarantine q -> Transition.to(WorkerState.QUARANTINED);
          };
      case IDLE ->
          switch (event) {
            case Ready r -> Transition.ignore(state, event);
            case Assign a -> Transition.to(WorkerState.BUSY);
            case Release r -> Transition.ignore(state, event);
            case Drain d -> Transition.to(WorkerState.OFFLINE);
            case Lost l -> Transition.to(WorkerState.OFFLINE);
            case Lift l -> Transition.ignore(state, event);
            case Quarantine q -> Transition.to(WorkerState.QUARANTINED);
          };
      case BUSY ->
          switch (event) {
            case Ready r -> Transition.ignore(state, event);
            case Assign a -> Transition.ignore(state, event);
            case Release r ->
                Transition.to(r.quarantine() ? WorkerState.QUARANTINED : WorkerState.IDLE);
            case Drain d -> Transition.to(WorkerState.DRAINING);
            case Lost l -> Transition.to(WorkerState.OFFLINE);
            case Lift l -> Transition.ignore(state, event);
            case Quarantine q -> Transition.ignore(state, event);
          };
      case DRAINING ->
          switch (event) {
            case Ready r -> Transition.ignore(state, event);
            case Assign a -> Transition.ignore(state, event);
            case Release r -> Transition.to(WorkerState.OFFLINE);
            case Drain d -> Transition.ignore(state, event);
            case Lost l -> Transition.to(WorkerState.OFFLINE);
            case Lift l -> Transition.ignore(state, event);
            case Quarantine q -> Transition.ignore(state, event);
          };
      case OFFLINE ->
          switch (event) {
            case Ready r -> Transition.to(WorkerState.IDLE);
            case Assign a -> Transition.ignore(state, event);
            case Release r -> Transition.ignore(state, event);
            case Drain d -> Transition.ignore(state, event);
            case Lost l -> Transition.ignore(state, event);
            case Lift l -> Transition.ignore(state, event);
            case Quarantine q -> Transition.ignore(state, event);
          };
      case QUARANTINED ->
          switch (event) {
            case Ready r -> Transition.ignore(state, event);
            case Assign a -> Transition.ignore(state, event);
            case Release r -> Transition.ignore(state, event);
            case Drain d -> Transition.to(WorkerState.OFFLINE);
            case Lost l -> Transition.to(WorkerState.OFFLINE);
            case Lift l -> Transition.to(WorkerState.IDLE);
            case Quarantine q -> Transition.ignore(state, event);
          };
    };
  }
}
