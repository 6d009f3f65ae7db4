package io.proteus.core.internal.engine;

import io.proteus.core.internal.routing.Router;
import io.proteus.core.internal.worker.WorkerRecord;
import io.proteus.model.Requirements;
import io.proteus.model.WorkerDescriptor;
import io.proteus.model.WorkerState;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Why a queued task cannot be served by any worker in service (booting, idle or busy). Quarantined
 * and draining workers are not in service: a task that only they could run fails with a reason that
 * names them, so that every run ends.
 */
final class Unroutable {
  private Unroutable() {}

  static Optional<String> why(Requirements req, List<WorkerRecord> present) {
    List<WorkerDescriptor> serving =
        present.stream().filter(Unroutable::inService).map(w -> w.descriptor).toList();
    if (serving.stream().anyMatch(req::servableBy)) {
      return Optional.empty();
    }
    List<WorkerRecord> idle =
        present.stream()
            .filter(w -> !inService(w) && req.servableBy(w.descriptor))
            .sorted(Comparator.comparing(w -> w.descriptor.id()))
            .toList();
    if (idle.isEmpty()) {
      return Router.whyUnroutable(req, serving);
    }
    StringBuilder why = new StringBuilder("every worker that could run it is out of service: ");
    idle.stream().limit(5).forEach(w -> why.append(describe(w)).append("; "));
    why.setLength(why.length() - 2);
    return Optional.of(why.toString());
  }

  private static boolean inService(WorkerRecord w) {
    return w.state == WorkerState.BOOTING
        || w.state == WorkerState.IDLE
        || w.state == WorkerState.BUSY;
  }

  private static String describe(WorkerRecord w) {
    String id = w.descriptor.id();
    return w.state == WorkerState.QUARANTINED
        ? id
            + " (quarantined after "
            + w.failureStreak.size()
            + " tasks in a row could not run on it: "
            + w.failureStreak.stream().limit(3).map(Object::toString).toList()
            + ")"
        : id + " (" + w.state.name().toLowerCase(java.util.Locale.ROOT) + ")";
  }
}
