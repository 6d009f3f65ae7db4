package io.proteus.core.report;

import static io.proteus.core.report.Html.esc;

import io.proteus.core.internal.job.Verdicts;
import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.CaseStatus;
import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import io.proteus.model.TestCaseResult;
import io.proteus.model.TestSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The report's per-job sections: each task, its cases, its attempts and their logs. */
final class TaskSections {
  /**
   * One expected case the scenario did not report.
   *
   * @param name the case's name
   * @param why never reported, or the task never ran to completion
   */
  record Missing(String name, String why) {}

  private TaskSections() {}

  /** The expected cases of this task that are missing from its results. */
  static List<Missing> missing(JobResult job, TaskResult t) {
    List<Missing> out = new ArrayList<>();
    for (TestCaseResult c : t.cases()) {
      if (c.status() == CaseStatus.SKIPPED
          && c.expected()
          && c.message().filter(Verdicts.NEVER_REPORTED::equals).isPresent()) {
        out.add(new Missing(c.name(), "never reported"));
      }
    }
    if (t.cases().isEmpty()) {
      for (TestSpec spec : job.plan().tests()) {
        if (spec.name().equals(t.testName())) {
          for (String name : spec.expectations()) {
            out.add(new Missing(name, "not run: the task ended " + t.status()));
          }
        }
      }
    }
    return out;
  }

  /** The anchor of task {@code t} of job {@code j}. */
  static String taskId(int j, int t) {
    return "j" + j + "-t" + t;
  }

  /** Lower-case status for class names and text. */
  static String lower(Enum<?> status) {
    return status.name().toLowerCase(Locale.ROOT);
  }

  static String badge(Enum<?> status) {
    return "<span class=\"badge s-" + lower(status) + "\">" + status.name() + "</span>";
  }

  static String time(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** A case's time; a zero duration is one the scenario did not report. */
  static String seconds(Duration d) {
    return d.isZero() ? "" : String.format(Locale.ROOT, "%.3f s", d.toMillis() / 1000.0);
  }

  /** One job's section. */
  static void job(StringBuilder b, JobResult job, int j, Path dir, int logCap) {
    b.append("<section class=\"job\" id=\"j").append(j).append("\">\n<h3>");
    b.append(esc(job.plan().name())).append(" on ").append(esc(job.platform())).append(' ');
    b.append(badge(job.status())).append("</h3>\n<p class=\"meta\">job ");
    b.append(esc(job.id().value())).append(" · build ").append(esc(job.plan().build()));
    b.append(" · pool ").append(esc(job.plan().pool()));
    b.append(" · from ").append(esc(job.adapter())).append(" (").append(esc(job.buildId()));
    b.append(") · submitted ").append(time(job.submitted()));
    job.finished()
        .ifPresent(f ->
            b.append(" · finished ")
                .append(time(f))
                .append(" (")
                .append(Duration.between(job.submitted(), f).toSeconds())
                .append(" s)"));
    b.append("</p>\n");
    List<TaskResult> tasks = job.tasks();
    for (int t = 0; t < tasks.size(); t++) {
      task(b, job, tasks.get(t), taskId(j, t), dir, logCap);
    }
    b.append("</section>\n");
  }

  private static void task(
      StringBuilder b, JobResult job, TaskResult t, String id, Path dir, int logCap) {
    b.append("<article class=\"task b-").append(lower(t.status())).append("\" id=\"").append(id);
    b.append("\" data-status=\"").append(t.status().name()).append("\">\n<h4>");
    b.append(badge(t.status())).append(' ').append(esc(t.testName())).append("</h4>\n");
    t.reason().ifPresent(r -> b.append("<p class=\"reason\">").append(esc(r)).append("</p>\n"));
    b.append("<p class=\"meta\">").append(t.attempts().size());
    b.append(t.attempts().size() == 1 ? " attempt" : " attempts");
    t.exitCode().ifPresent(c -> b.append(" · exit code ").append(c));
    b.append("</p>\n");
    cases(b, t);
    List<Missing> missing = missing(job, t);
    if (!missing.isEmpty()) {
      b.append("<p>Expected but missing: ");
      for (int i = 0; i < missing.size(); i++) {
        b.append(i == 0 ? "" : ", ").append("<strong>").append(esc(missing.get(i).name()));
        b.append("</strong> (").append(esc(missing.get(i).why())).append(')');
      }
      b.append("</p>\n");
    }
    attempts(b, t, id, dir, logCap);
    b.append("</article>\n");
  }

  private static void cases(StringBuilder b, TaskResult t) {
    if (t.cases().isEmpty()) {
      b.append("<p class=\"empty\">No test cases: no attempt ran to completion.</p>\n");
      return;
    }
    b.append("<table class=\"cases\"><thead><tr><th scope=\"col\">case</th>");
    b.append("<th scope=\"col\">status</th><th scope=\"col\">message</th>");
    b.append("<th scope=\"col\">time</th></tr></thead><tbody>\n");
    for (TestCaseResult c : t.cases()) {
      b.append("<tr><td>").append(esc(c.name()));
      if (!c.expected()) {
        b.append(" <span class=\"badge s-none\">not expected</span>");
      }
      b.append("</td><td class=\"s-").append(lower(c.status())).append("\">");
      b.append(lower(c.status())).append("</td><td>");
      b.append(esc(c.message().orElse(""))).append("</td><td>").append(seconds(c.duration()));
      b.append("</td></tr>\n");
    }
    b.append("</tbody></table>\n");
  }

  private static void attempts(StringBuilder b, TaskResult t, String id, Path dir, int logCap) {
    if (t.attempts().isEmpty()) {
      b.append("<p class=\"empty\">No attempt was made.</p>\n");
      return;
    }
    b.append("<table class=\"attempts\"><thead><tr><th scope=\"col\">attempt</th>");
    b.append("<th scope=\"col\">worker</th><th scope=\"col\">started</th>");
    b.append("<th scope=\"col\">ended</th><th scope=\"col\">reason</th></tr></thead><tbody>\n");
    for (AttemptRecord a : t.attempts()) {
      b.append("<tr><td><a href=\"#").append(id).append("-a").append(a.number()).append("\">");
      b.append(a.number()).append("</a></td><td>").append(esc(a.workerId())).append("</td><td>");
      b.append(time(a.started())).append("</td><td>");
      b.append(a.end().map(AttemptEnd::name).orElse("still running")).append("</td><td>");
      b.append(esc(a.reason().orElse(""))).append("</td></tr>\n");
    }
    b.append("</tbody></table>\n");
    boolean anyLog = t.attempts().stream().anyMatch(a -> a.log().isPresent());
    for (AttemptRecord a : t.attempts()) {
      String summary =
          "Attempt "
              + a.number()
              + " log · "
              + a.workerId()
              + " · "
              + a.end().map(AttemptEnd::name).orElse("still running");
      log(b, id + "-a" + a.number(), summary, a.log(), dir, logCap);
    }
    if (!anyLog && t.log().isPresent()) {
      log(b, id + "-last", "Last attempt's log", t.log(), dir, logCap);
    }
  }

  private static void log(
      StringBuilder b, String id, String summary, Optional<String> where, Path dir, int logCap) {
    b.append("<details class=\"log\" id=\"").append(id).append("\"><summary>").append(esc(summary));
    if (where.isEmpty()) {
      b.append(" · none</summary>\n<p class=\"note\">The worker kept no log for this attempt.</p>");
      b.append("</details>\n");
      return;
    }
    LogExcerpt log = LogExcerpt.read(dir, where.get(), logCap);
    if (log.size() >= 0) {
      b.append(" · ").append(LogExcerpt.bytes(log.size()));
    }
    b.append("</summary>\n");
    log.note().ifPresent(n -> b.append("<p class=\"note\">").append(esc(n)).append("</p>\n"));
    if (log.text().filter(String::isEmpty).isPresent()) {
      b.append("<p class=\"note\">The log is empty.</p>\n");
    }
    // The parser drops one newline right after <pre>: this one, not the log's own first line.
    log.text().ifPresent(x -> b.append("<pre>\n").append(esc(x)).append("</pre>\n"));
    b.append("</details>\n");
  }
}
