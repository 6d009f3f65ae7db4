package io.proteus.model;

import java.time.Instant;
import java.util.Optional;

/**
 * One attempt at a task.
 *
 * @param number the attempt's number, from 1
 * @param fencingToken the token results must carry to be accepted; unique per attempt
 * @param workerId the worker it was sent to
 * @param started when it was dispatched
 * @param finished when it ended, absent while it is live (and for records made before the core kept
 *     it)
 * @param end how it ended, absent while it is live
 * @param reason why it ended so, when it did not complete
 * @param log where the attempt's output log is kept, when the worker kept one
 */
public record AttemptRecord(
    int number,
    long fencingToken,
    String workerId,
    Instant started,
    Optional<Instant> finished,
    Optional<AttemptEnd> end,
    Optional<String> reason,
    Optional<String> log) {

  /** An attempt whose end time is not known. */
  public AttemptRecord(
      int number,
      long fencingToken,
      String workerId,
      Instant started,
      Optional<AttemptEnd> end,
      Optional<String> reason,
      Optional<String> log) {
    this(number, fencingToken, workerId, started, Optional.empty(), end, reason, log);
  }

  /** An attempt whose end time and log are not known (yet). */
  public AttemptRecord(
      int number,
      long fencingToken,
      String workerId,
      Instant started,
      Optional<AttemptEnd> end,
      Optional<String> reason) {
    this(number, fencingToken, workerId, started, Optional.empty(), end, reason, Optional.empty());
  }

  /**
   * This attempt, ended, with no end time; prefer {@link #ended(AttemptEnd, Optional, Instant)}.
   */
  public AttemptRecord ended(AttemptEnd how, Optional<String> why) {
    return new AttemptRecord(
        number, fencingToken, workerId, started, finished, Optional.of(how), why, log);
  }

  /** This attempt, ended {@code at} that instant, so reports can say how long it took. */
  public AttemptRecord ended(AttemptEnd how, Optional<String> why, Instant at) {
    return new AttemptRecord(
        number, fencingToken, workerId, started, Optional.of(at), Optional.of(how), why, log);
  }

  /** This attempt, with its log kept at {@code where}. */
  public AttemptRecord withLog(Optional<String> where) {
    return new AttemptRecord(number, fencingToken, workerId, started, finished, end, reason, where);
  }
}
