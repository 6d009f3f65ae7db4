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
 */
public record AttemptRecord(
    int number,
    long fencingToken,
    String workerId,
    Instant started,
    Optional<AttemptEnd> end,
    Optional<String> reason) {

  /** This attempt, ended. */
  public AttemptRecord ended(AttemptEnd how, Optional<String> why) {
    return new AttemptRecord(number, fencingToken, workerId, started, Optional.of(how), why);
  }
}
