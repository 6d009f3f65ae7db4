package io.proteus.core.report;

import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.CaseStatus;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestCaseResult;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a report says of one task: the attempt that decided it, the attempts before it that could
 * not run, and its times. Shared by the JUnit XML and the JSON summary so they agree.
 */
final class TaskOutcome {
  /** The failure {@code type} of a case that failed. */
  static final String CASE_FAILED = "CASE_FAILED";

  /** The failure {@code type} of a task that failed with no case to blame. */
  static final String TASK_FAILED = "TASK_FAILED";

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);

  final TaskResult task;

  private TaskOutcome(TaskResult task) {
    this.task = task;
  }

  static TaskOutcome of(TaskResult task) {
    return new TaskOutcome(task);
  }

  /** The last attempt: the one that completed, or the last that could not run. */
  Optional<AttemptRecord> decisive() {
    return task.attempts().isEmpty() ? Optional.empty() : Optional.of(task.attempts().getLast());
  }

  /** The attempts before the decisive one, oldest first; none of them completed. */
  List<AttemptRecord> earlier() {
    List<AttemptRecord> all = task.attempts();
    return all.isEmpty() ? List.of() : all.subList(0, all.size() - 1);
  }

  /** Whether the task ended in an error or was cancelled: it has no test verdict. */
  boolean errored() {
    return task.status() == TaskStatus.ERROR || task.status() == TaskStatus.CANCELLED;
  }

  /** Whether the task passed after at least one attempt that could not run. */
  boolean flaky() {
    return task.status() == TaskStatus.PASSED && !earlier().isEmpty();
  }

  /** How long the decisive attempt took, else the sum of the case times. */
  Duration time() {
    return decisive().flatMap(TaskOutcome::elapsed).orElseGet(this::caseTime);
  }

  Duration caseTime() {
    return task.cases().stream()
        .map(TestCaseResult::duration)
        .reduce(Duration.ZERO, Duration::plus);
  }

  long count(CaseStatus status) {
    return task.cases().stream().filter(c -> c.status() == status).count();
  }

  /** The decisive attempt's worker. */
  Optional<String> hostname() {
    return decisive().map(AttemptRecord::workerId);
  }

  /** When the decisive attempt started. */
  Optional<Instant> started() {
    return decisive().map(AttemptRecord::started);
  }

  /** An attempt's error {@code type}: how it ended. */
  static String type(AttemptRecord a) {
    return a.end().map(AttemptEnd::name).orElse("UNFINISHED");
  }

  /** An attempt's message: its reason, else how it ended. */
  static String message(AttemptRecord a) {
    return a.reason().orElseGet(() -> type(a));
  }

  /** One line on an attempt: number, worker, start, end, how long, how it ended and why. */
  static String line(AttemptRecord a) {
    StringBuilder b =
        new StringBuilder("attempt ")
            .append(a.number())
            .append(" on ")
            .append(a.workerId())
            .append(", started ")
            .append(a.started());
    a.finished().ifPresent(f -> b.append(", finished ").append(f));
    elapsed(a).ifPresent(d -> b.append(" (").append(seconds(d)).append(" s)"));
    b.append(": ").append(type(a));
    a.reason().ifPresent(r -> b.append(": ").append(r));
    a.log().ifPresent(l -> b.append("; log ").append(l));
    return b.toString();
  }

  /** Every attempt, a line each. */
  String history() {
    StringBuilder b = new StringBuilder();
    for (AttemptRecord a : task.attempts()) {
      b.append(line(a)).append('\n');
    }
    return b.toString();
  }

  static Optional<Duration> elapsed(AttemptRecord a) {
    return a.finished().map(f -> Duration.between(a.started(), f)).filter(d -> !d.isNegative());
  }

  /** A duration as JUnit XML writes it: seconds with three decimals, no grouping. */
  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f", Math.max(0, d.toMillis()) / 1000.0);
  }

  /** An instant as JUnit XML's {@code timestamp}: UTC, to the second, with no zone (Ant's form). */
  static String timestamp(Instant t) {
    return TIMESTAMP.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
  }
}
