package io.proteus.model;

import java.util.List;
import java.util.Optional;

/**
 * A task's state and, once it is final, its outcome.
 *
 * @param id the task's id
 * @param testName the test's name
 * @param platform the platform it ran on
 * @param status its status
 * @param attempts every attempt so far, oldest first
 * @param reason why it failed, errored or was cancelled
 * @param cases the test cases of the last completed attempt, paired with the expectations
 * @param exitCode the exit code of the last completed attempt
 * @param log the last attempt's full log, where the worker kept it
 */
public record TaskResult(
    TaskId id,
    String testName,
    String platform,
    TaskStatus status,
    List<AttemptRecord> attempts,
    Optional<String> reason,
    List<TestCaseResult> cases,
    Optional<Integer> exitCode,
    Optional<String> log) {

  /** Copies the lists. */
  public TaskResult {
    attempts = List.copyOf(attempts);
    cases = List.copyOf(cases);
  }
}
