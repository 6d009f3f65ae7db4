package io.proteus.core.report;

import io.proteus.model.AttemptRecord;
import io.proteus.model.CaseStatus;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestCaseResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One {@code testcase} of a report: a case the scenario reported, or one named after the test when
 * the task has no case to carry its verdict (it errored, was cancelled, or failed with every case
 * passing).
 *
 * @param name the case's name
 * @param classname the task's test
 * @param time how long it took
 * @param problem its failure, error or skip, if any
 * @param carriesOutput whether this case carries the task's log tail and attempt history (the first
 *     case with a problem, else the first case of a flaky task), so they are written once
 */
record JunitCase(
    String name,
    String classname,
    Duration time,
    Optional<Problem> problem,
    boolean carriesOutput) {

  /**
   * A failure, error or skip.
   *
   * @param element {@code failure}, {@code error} or {@code skipped}
   * @param message its message
   * @param type its type: {@link TaskOutcome#CASE_FAILED}, {@link TaskOutcome#TASK_FAILED} or how
   *     the attempt ended; empty for a skip
   * @param text its text content
   */
  record Problem(String element, String message, String type, String text) {}

  /** Whether a retried attempt goes in this case as a rerun (it failed) rather than a flake. */
  boolean failed() {
    return problem.filter(p -> !p.element().equals("skipped")).isPresent();
  }

  /** Whether this case passed. */
  boolean passed() {
    return problem.isEmpty();
  }

  /** The testcases of one task. */
  static List<JunitCase> of(TaskOutcome o) {
    String test = o.task.testName();
    List<JunitCase> out = new ArrayList<>();
    for (TestCaseResult c : o.task.cases()) {
      Optional<Problem> p =
          switch (c.status()) {
            case PASSED -> Optional.empty();
            case FAILED -> {
              String m = c.message().orElse("failed");
              yield Optional.of(new Problem("failure", m, TaskOutcome.CASE_FAILED, m));
            }
            case SKIPPED -> {
              String m = c.message().orElse("skipped");
              yield Optional.of(new Problem("skipped", m, "", m));
            }
          };
      out.add(new JunitCase(c.name(), test, c.duration(), p, false));
    }
    if (o.errored()) {
      String type = o.decisive().map(TaskOutcome::type).orElse(o.task.status().name());
      String message =
          o.task.reason().or(() -> o.decisive().map(TaskOutcome::message)).orElse(type);
      out.add(
          new JunitCase(
              test,
              test,
              o.time(),
              Optional.of(new Problem("error", message, type, message)),
              false));
    } else if (o.task.status() == TaskStatus.FAILED && o.count(CaseStatus.FAILED) == 0) {
      String message = o.task.reason().orElse("the test failed");
      String text = message + o.task.exitCode().map(code -> " (exit code " + code + ")").orElse("");
      out.add(
          new JunitCase(
              test,
              test,
              o.time(),
              Optional.of(new Problem("failure", message, TaskOutcome.TASK_FAILED, text)),
              false));
    } else if (out.isEmpty()) {
      out.add(new JunitCase(test, test, o.time(), Optional.empty(), false));
    }
    int carrier = indexOf(out, JunitCase::failed);
    if (carrier < 0 && o.flaky()) {
      carrier = indexOf(out, JunitCase::passed);
    }
    if (carrier >= 0) {
      JunitCase c = out.get(carrier);
      out.set(carrier, new JunitCase(c.name, c.classname, c.time, c.problem, true));
    }
    return out;
  }

  /** The earlier attempts this case reports as reruns or flakes, given the task's outcome. */
  List<AttemptRecord> retried(TaskOutcome o) {
    if (failed() || (passed() && o.flaky())) {
      return o.earlier();
    }
    return List.of();
  }

  private static int indexOf(List<JunitCase> cases, java.util.function.Predicate<JunitCase> p) {
    for (int i = 0; i < cases.size(); i++) {
      if (p.test(cases.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
