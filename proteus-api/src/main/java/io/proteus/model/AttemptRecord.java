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
 * @param end how it ended, absent while it is live
 * @param reason why it ended so, when it did not complete
 * @param log where the attempt's output log is kept, when the worker kept one
 */
public record AttemptRecord(
    int number,
    long fencingToken,
    String workerId,
    Instant started,
    Optional<AttemptEnd> end,
    Optional<String> reason,
    Optional<String> log) {

  /** An attempt whose log is not known (yet). */
  public AttemptRecord(
      int number,
      long fencingToken,
      String workerId,
      Instant started,
      Optional<AttemptEnd> end,
      Optional<String> reason) {
    this(number, fencingToken, workerId, started, end, reason, Optional.empty());
  }

  /** This attempt, ended. */
  public AttemptRecord ended(AttemptEnd how, Optional<String> why) {
    return new AttemptRecord(number, fencingToken, workerId, started, Optional.of(how), why, log);
  }

  /** This attempt, with its log kept at {@code where}. */
  public AttemptRecord withLog(Optional<String> where) {
    return new AttemptRecord(number, fencingToken, workerId, started, end, reason, where);
  }
}
