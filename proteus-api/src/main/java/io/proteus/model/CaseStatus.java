package io.proteus.model;

/** The status of one test case inside a task. */
public enum CaseStatus {
  /** The case passed. */
  PASSED,
  /** The case failed. */
  FAILED,
  /** The case did not run, or was expected and never reported. */
  SKIPPED
}
