package io.proteus.spi;

import io.proteus.model.TestCaseResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a worker reports when a test ran to its end (whatever its exit code).
 *
 * @param exitCode the exit code of the scenario or binary
 * @param cases the test cases it reported, in the order reported
 * @param log where the attempt's full log is kept, if anywhere
 * @param elapsed how long it ran
 */
public record AttemptReport(
    int exitCode, List<TestCaseResult> cases, Optional<String> log, Duration elapsed) {

  /** Copies the cases. */
  public AttemptReport {
    cases = List.copyOf(cases);
  }
}
