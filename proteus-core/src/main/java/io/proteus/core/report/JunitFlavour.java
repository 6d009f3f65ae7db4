package io.proteus.core.report;

import java.util.Locale;
import java.util.Optional;

/**
 * Which JUnit XML a report is written as. No one form is valid against both schemas CI servers
 * check: Jenkins' junit-4.xsd has no place for reruns, Maven Surefire's report schema none for a
 * suite's worker and start time, nor a {@code testsuites} root. So each has its flavour; both are
 * read by Jenkins, GitLab, GitHub check annotations and Azure DevOps. docs/summary-schema.md shows
 * them.
 */
public enum JunitFlavour {
  /**
   * The default: valid against Maven Surefire's report schema (surefire-test-report-3.0.xsd). One
   * {@code testsuite} per job; each task's cases have the task's test as {@code classname}.
   * Attempts that could not run before a pass are {@code flakyError}s in the passing testcase, and
   * those before a failure or an error are {@code rerunError}s, as Surefire reports reruns. Each
   * task's worker and start time are properties.
   */
  SUREFIRE,
  /**
   * Valid against Jenkins' junit-4.xsd, for strict consumers of it: a {@code testsuites} root with
   * one {@code testsuite} per task, with its worker as {@code hostname} and its start as {@code
   * timestamp}. Earlier attempts are listed in the properties and the {@code system-err} of the
   * case that carries the task's output; there are no rerun elements.
   */
  JUNIT4;

  /** The flavour's name on the command line: {@code surefire} or {@code junit4}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The flavour named {@code id} (case ignored), if there is one. */
  public static Optional<JunitFlavour> parse(String id) {
    for (JunitFlavour f : values()) {
      if (f.id().equalsIgnoreCase(id.trim())) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
