package io.proteus.testkit;

import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.CaseStatus;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Fluent assertions on a {@link TaskResult}; failures say which task, which attempts on which
 * workers, and how each ended.
 */
public final class TaskResultAssert extends AbstractAssert<TaskResultAssert, TaskResult> {

  TaskResultAssert(TaskResult actual) {
    super(actual, TaskResultAssert.class);
  }

  /** The task has this status. */
  public TaskResultAssert hasStatus(TaskStatus status) {
    isNotNull();
    if (actual.status() != status) {
      failWithMessage(
          "Expected %s to be %s but it is %s", describe(actual), status, actual.status());
    }
    return this;
  }

  /** The task passed. */
  public TaskResultAssert passed() {
    return hasStatus(TaskStatus.PASSED);
  }

  /** The task failed (a test failed; never retried). */
  public TaskResultAssert failed() {
    return hasStatus(TaskStatus.FAILED);
  }

  /** The task ended in ERROR (could not run). */
  public TaskResultAssert errored() {
    return hasStatus(TaskStatus.ERROR);
  }

  /** The task was cancelled. */
  public TaskResultAssert wasCancelled() {
    return hasStatus(TaskStatus.CANCELLED);
  }

  /** The task made exactly {@code n} attempts. */
  public TaskResultAssert hasAttempts(int n) {
    isNotNull();
    if (actual.attempts().size() != n) {
      failWithMessage(
          "Expected %s to have made %d attempts but it made %d",
          describe(actual), n, actual.attempts().size());
    }
    return this;
  }

  /** Its attempts went to exactly these workers, in order. */
  public TaskResultAssert ranOn(String... workers) {
    isNotNull();
    List<String> got = actual.attempts().stream().map(AttemptRecord::workerId).toList();
    if (!got.equals(Arrays.asList(workers))) {
      failWithMessage(
          "Expected %s to have run on %s but it ran on %s",
          describe(actual), Arrays.asList(workers), got);
    }
    return this;
  }

  /** Attempt {@code number} (from 1) ended so. */
  public TaskResultAssert attemptEnded(int number, AttemptEnd end) {
    isNotNull();
    if (number < 1 || number > actual.attempts().size()) {
      failWithMessage("Expected %s to have an attempt %d", describe(actual), number);
    }
    AttemptRecord a = actual.attempts().get(number - 1);
    if (!a.end().equals(java.util.Optional.of(end))) {
      failWithMessage(
          "Expected attempt %d of %s to end %s but it ended %s",
          number, describe(actual), end, a.end().map(Enum::name).orElse("(still live)"));
    }
    return this;
  }

  /** Its reason mentions {@code text}. */
  public TaskResultAssert hasReasonContaining(String text) {
    isNotNull();
    if (actual.reason().isEmpty() || !actual.reason().get().contains(text)) {
      failWithMessage("Expected the reason of %s to contain '%s'", describe(actual), text);
    }
    return this;
  }

  /** It reported a case with this name and status. */
  public TaskResultAssert hasCase(String name, CaseStatus status) {
    isNotNull();
    boolean found =
        actual.cases().stream().anyMatch(c -> c.name().equals(name) && c.status() == status);
    if (!found) {
      failWithMessage(
          "Expected %s to have case '%s' %s; its cases are %s",
          describe(actual),
          name,
          status,
          actual.cases().stream().map(c -> c.name() + "=" + c.status()).toList());
    }
    return this;
  }

  static String describe(TaskResult t) {
    String attempts =
        t.attempts().stream()
            .map(a ->
                "#"
                    + a.number()
                    + " on "
                    + a.workerId()
                    + " "
                    + a.end().map(Enum::name).orElse("LIVE")
                    + a.reason().map(r -> " (" + r + ")").orElse(""))
            .collect(Collectors.joining(", "));
    return "task "
        + t.id()
        + " '"
        + t.testName()
        + "' on "
        + t.platform()
        + " ["
        + t.status()
        + t.reason().map(r -> ": " + r).orElse("")
        + "; attempts: "
        + (attempts.isEmpty() ? "none" : attempts)
        + "]";
  }
}
