package io.proteus.model;

import java.time.Duration;
import java.util.Optional;

/**
 * One test case's result, as a scenario reported it or as the verdict made it.
 *
 * @param name the case's name
 * @param status passed, failed or skipped
 * @param message a failure or skip message
 * @param duration how long it took, zero when unknown
 * @param expected whether the plan expected this case; an unexpected case is reported, not dropped
 */
public record TestCaseResult(
    String name, CaseStatus status, Optional<String> message, Duration duration, boolean expected) {

  /** A case result with no message and no duration, as expected. */
  public static TestCaseResult of(String name, CaseStatus status) {
    return new TestCaseResult(name, status, Optional.empty(), Duration.ZERO, true);
  }

  /** This result, marked as expected or not. */
  public TestCaseResult withExpected(boolean isExpected) {
    return new TestCaseResult(name, status, message, duration, isExpected);
  }
}
