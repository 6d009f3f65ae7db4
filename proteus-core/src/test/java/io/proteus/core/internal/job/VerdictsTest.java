package io.proteus.core.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.CaseStatus;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestCaseResult;
import io.proteus.model.TestSpec;
import io.proteus.spi.AttemptReport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerdictsTest {
  static TestSpec test(String... expectations) {
    return TestSpec.of("t", "bin", Optional.empty(), List.of(expectations));
  }

  static AttemptReport report(int exit, TestCaseResult... cases) {
    return new AttemptReport(exit, List.of(cases), Optional.empty(), Duration.ZERO);
  }

  @Test
  void allExpectationsPassing() {
    var v =
        Verdicts.judge(
            test("a", "b"),
            report(
                0,
                TestCaseResult.of("a", CaseStatus.PASSED),
                TestCaseResult.of("b", CaseStatus.PASSED)));
    assertThat(v.status()).isEqualTo(TaskStatus.PASSED);
  }

  @Test
  void aMissingExpectationIsSkippedAndFails() {
    var v = Verdicts.judge(test("a", "b"), report(0, TestCaseResult.of("a", CaseStatus.PASSED)));
    assertThat(v.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(v.cases())
        .extracting(TestCaseResult::name, TestCaseResult::status)
        .contains(org.assertj.core.groups.Tuple.tuple("b", CaseStatus.SKIPPED));
    assertThat(v.reason()).contains("b");
  }

  @Test
  void anUnexpectedResultIsReportedNotDropped() {
    var v =
        Verdicts.judge(
            test("a"),
            report(
                0,
                TestCaseResult.of("a", CaseStatus.PASSED),
                TestCaseResult.of("extra", CaseStatus.PASSED)));
    assertThat(v.status()).isEqualTo(TaskStatus.PASSED);
    assertThat(v.cases())
        .filteredOn(c -> c.name().equals("extra"))
        .singleElement()
        .satisfies(c -> assertThat(c.expected()).isFalse());
  }

  @Test
  void aNonZeroExitFailsEvenWhenCasesPass() {
    var v = Verdicts.judge(test("a"), report(3, TestCaseResult.of("a", CaseStatus.PASSED)));
    assertThat(v.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(v.reason()).contains("exit code 3");
  }

  @Test
  void noResultsAndNoExpectationsUsesTheExitCode() {
    assertThat(Verdicts.judge(test(), report(0)).status()).isEqualTo(TaskStatus.PASSED);
    var failed = Verdicts.judge(test(), report(1));
    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.cases())
        .singleElement()
        .extracting(TestCaseResult::status)
        .isEqualTo(CaseStatus.FAILED);
  }

  @Test
  void aFailedCaseFails() {
    var v = Verdicts.judge(test("a"), report(0, TestCaseResult.of("a", CaseStatus.FAILED)));
    assertThat(v.status()).isEqualTo(TaskStatus.FAILED);
  }
}
