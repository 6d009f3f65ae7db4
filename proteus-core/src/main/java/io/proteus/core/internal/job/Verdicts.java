package io.proteus.core.internal.job;

import io.proteus.model.CaseStatus;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestCaseResult;
import io.proteus.model.TestSpec;
import io.proteus.spi.AttemptReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Pairs a test's reported cases with its expectations. An expectation that never reported is a
 * skipped case and fails the task; a case nobody expected is kept and marked unexpected.
 */
public final class Verdicts {
  /** The message of the skipped case that stands for an expectation that never reported. */
  public static final String NEVER_REPORTED = "expected but never reported";

  private Verdicts() {}

  /**
   * A judged attempt.
   *
   * @param status PASSED or FAILED
   * @param cases every case, reported ones first, then the missing expectations
   * @param reason why it failed, empty when it passed
   */
  public record Verdict(TaskStatus status, List<TestCaseResult> cases, String reason) {}

  /** Judges one completed attempt. */
  public static Verdict judge(TestSpec test, AttemptReport report) {
    Set<String> expected = new LinkedHashSet<>(test.expectations());
    List<TestCaseResult> cases = new ArrayList<>();
    Set<String> reported = new LinkedHashSet<>();
    for (TestCaseResult c : report.cases()) {
      cases.add(c.withExpected(expected.isEmpty() || expected.contains(c.name())));
      reported.add(c.name());
    }
    if (cases.isEmpty() && expected.isEmpty()) {
      cases.add(
          new TestCaseResult(
              test.name(),
              report.exitCode() == 0 ? CaseStatus.PASSED : CaseStatus.FAILED,
              report.exitCode() == 0
                  ? Optional.empty()
                  : Optional.of("exit code " + report.exitCode()),
              report.elapsed(),
              true));
    }
    List<String> missing = new ArrayList<>();
    for (String name : expected) {
      if (!reported.contains(name)) {
        missing.add(name);
        cases.add(
            new TestCaseResult(
                name, CaseStatus.SKIPPED, Optional.of(NEVER_REPORTED), Duration.ZERO, true));
      }
    }
    List<String> problems = new ArrayList<>();
    if (report.exitCode() != 0) {
      problems.add("exit code " + report.exitCode());
    }
    List<String> failed =
        cases.stream()
            .filter(c -> c.status() == CaseStatus.FAILED && !missing.contains(c.name()))
            .map(TestCaseResult::name)
            .toList();
    if (!failed.isEmpty()) {
      problems.add("failed: " + String.join(", ", failed));
    }
    List<String> skippedExpected =
        cases.stream()
            .filter(c -> c.status() == CaseStatus.SKIPPED && c.expected() && !expected.isEmpty())
            .map(TestCaseResult::name)
            .toList();
    if (!skippedExpected.isEmpty()) {
      problems.add("expected but skipped or never reported: " + String.join(", ", skippedExpected));
    }
    return problems.isEmpty()
        ? new Verdict(TaskStatus.PASSED, cases, "")
        : new Verdict(TaskStatus.FAILED, cases, String.join("; ", problems));
  }
}
