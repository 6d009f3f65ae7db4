package io.proteus.spi;

import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.Quarantine;
import io.proteus.model.TaskId;
import io.proteus.model.TaskStatus;
import io.proteus.model.WorkerState;
import java.time.Instant;
import java.util.Optional;

/**
 * Something the core did, as a {@link ProteusListener} sees it.
 *
 * <p>Open to new kinds: later releases add records here. A listener handles the kinds it knows and
 * ignores the rest, so a {@code switch} over events needs a {@code default} branch (or a last
 * {@code case ProteusEvent e}); one that lists every kind today would stop compiling, or throw
 * {@code MatchException}, when a kind is added.
 */
public sealed interface ProteusEvent {

  /** When it happened, by the core's clock. */
  Instant at();

  /** A job was stored and its tasks queued. */
  record JobSubmitted(Instant at, JobId job, String plan, String platform, int tasks)
      implements ProteusEvent {}

  /** A task changed status; {@code attempt} is 0 before the first dispatch. */
  record TaskChanged(
      Instant at,
      TaskId task,
      String test,
      String platform,
      TaskStatus from,
      TaskStatus to,
      int attempt,
      Optional<String> worker,
      Optional<String> reason)
      implements ProteusEvent {}

  /** A job became final. */
  record JobFinished(Instant at, JobResult result) implements ProteusEvent {}

  /** A worker changed state. */
  record WorkerChanged(
      Instant at, String worker, WorkerState from, WorkerState to, Optional<String> reason)
      implements ProteusEvent {}

  /** A worker was taken out of rotation: why, when and by whom is in {@code quarantine}. */
  record WorkerQuarantined(Instant at, String worker, Quarantine quarantine)
      implements ProteusEvent {}

  /**
   * A quarantined worker was released: it takes work again. {@code by} says who released it; {@code
   * was} is the quarantine it ends.
   */
  record WorkerReleased(Instant at, String worker, Quarantine.Decider by, Quarantine was)
      implements ProteusEvent {}

  /** Something arrived out of turn (a late result, an unknown token) and was ignored. */
  record Ignored(Instant at, String what) implements ProteusEvent {}
}
