package io.proteus.core.report;

import static io.proteus.core.report.Html.esc;

import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finished jobs as one self-contained HTML page, for people: the run's totals, a test-by-platform
 * matrix, each task's cases, attempts and reasons, the expected cases that never reported, and each
 * attempt's log, collapsed and searchable.
 *
 * <p>The page needs nothing else: its style and script are inline, it names no other file or
 * address (its only links are to its own sections), and its Content-Security-Policy forbids every
 * fetch and allows only its own style and script, by hash. So it reads the same opened from disk or
 * from a CI server's artifact browser, and a hostile test name or log line stays text. Without its
 * script (a strict artifact server may block it) only the log search is lost: the logs still open
 * and close.
 */
public final class HtmlReport {
  /**
   * How many bytes of each attempt's log the page embeds; a longer log keeps its first quarter and
   * its last three quarters of this, with a note of how much of the middle was cut.
   */
  public static final int LOG_CAP_BYTES = 256 * 1024;

  private static final String STYLE = Html.resource("report.css");
  private static final String SCRIPT = Html.resource("report.js");
  private static final String TEMPLATE = Html.resource("report.html");
  private static final String CSP =
      "default-src 'none'; style-src "
          + Html.cspHash(STYLE)
          + "; script-src "
          + Html.cspHash(SCRIPT)
          + "; base-uri 'none'; form-action 'none'";

  private HtmlReport() {}

  /**
   * The jobs as an HTML page. Attempt logs are read from their recorded paths, absolute or relative
   * to {@code dir} (the folder the page will be written to); a log that is missing or unreadable is
   * named with the reason instead.
   */
  public static String html(List<JobResult> jobs, Path dir) {
    return html(jobs, dir, LOG_CAP_BYTES);
  }

  /** The jobs as an HTML page, embedding at most {@code logCapBytes} of each attempt's log. */
  public static String html(List<JobResult> jobs, Path dir, int logCapBytes) {
    if (logCapBytes < 4) {
      throw new IllegalArgumentException("logCapBytes must be at least 4, not " + logCapBytes);
    }
    StringBuilder b = new StringBuilder(64 * 1024);
    header(b, jobs);
    matrix(b, jobs);
    missing(b, jobs);
    b.append("<section id=\"tasks\">\n<h2>Tasks, attempts and logs</h2>\n");
    b.append(
        "<div class=\"tools\"><label>Search the logs <input type=\"search\" id=\"log-search\"");
    b.append(" placeholder=\"text in any attempt's log\" autocomplete=\"off\"></label>");
    b.append("<label><input type=\"checkbox\" id=\"problems-only\"> only tasks that did not pass");
    b.append("</label><span id=\"search-status\" role=\"status\"></span></div>\n");
    for (int j = 0; j < jobs.size(); j++) {
      TaskSections.job(b, jobs.get(j), j, dir, logCapBytes);
    }
    b.append("</section>\n");
    return Html.render(
        TEMPLATE,
        Map.of(
            "csp", CSP,
            "title", esc(title(jobs)),
            "style", STYLE,
            "script", SCRIPT,
            "body", b.toString()));
  }

  private static String title(List<JobResult> jobs) {
    if (jobs.isEmpty()) {
      return "Proteus report: no jobs";
    }
    Set<String> plans = new LinkedHashSet<>();
    jobs.forEach(j -> plans.add(j.plan().name()));
    long problems =
        jobs.stream().mapToLong(j -> j.tasks().size() - j.count(TaskStatus.PASSED)).sum();
    return "Proteus report: "
        + String.join(", ", plans)
        + (problems == 0 ? " (all passed)" : " (" + problems + " did not pass)");
  }

  private static void header(StringBuilder b, List<JobResult> jobs) {
    b.append("<header>\n<h1>").append(esc(title(jobs))).append("</h1>\n");
    Set<String> builds = new LinkedHashSet<>();
    jobs.forEach(j -> builds.add(j.buildId() + " (" + j.plan().build() + ")"));
    b.append("<p class=\"meta\">").append(jobs.size()).append(jobs.size() == 1 ? " job" : " jobs");
    if (!builds.isEmpty()) {
      b.append(" of ").append(esc(String.join(", ", builds)));
    }
    b.append("</p>\n<dl class=\"totals\">");
    total(b, "tasks", jobs.stream().mapToLong(j -> j.tasks().size()).sum(), "");
    for (TaskStatus s :
        List.of(TaskStatus.PASSED, TaskStatus.FAILED, TaskStatus.ERROR, TaskStatus.CANCELLED)) {
      total(
          b,
          TaskSections.lower(s),
          jobs.stream().mapToLong(j -> j.count(s)).sum(),
          " s-" + TaskSections.lower(s));
    }
    long retried =
        jobs.stream().flatMap(j -> j.tasks().stream()).filter(t -> t.attempts().size() > 1).count();
    total(b, "retried", retried, "");
    long missing =
        jobs.stream()
            .mapToLong(
                j -> j.tasks().stream().mapToLong(t -> TaskSections.missing(j, t).size()).sum())
            .sum();
    total(b, "missing cases", missing, "");
    b.append("</dl>\n<nav><a href=\"#matrix\">Matrix</a><a href=\"#missing\">Expected but missing");
    b.append("</a><a href=\"#tasks\">Tasks, attempts and logs</a></nav>\n</header>\n");
  }

  private static void total(StringBuilder b, String name, long value, String cls) {
    b.append("<div class=\"total").append(cls).append("\"><dt>").append(name).append("</dt><dd>");
    b.append(value).append("</dd></div>");
  }

  /** One table per plan and build: a row per test, a column per job (platform). */
  private static void matrix(StringBuilder b, List<JobResult> jobs) {
    b.append("<section id=\"matrix\">\n<h2>Matrix</h2>\n");
    if (jobs.isEmpty()) {
      b.append("<p class=\"empty\">No jobs.</p>\n");
    }
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int j = 0; j < jobs.size(); j++) {
      JobResult job = jobs.get(j);
      groups
          .computeIfAbsent(job.plan().name() + "\n" + job.plan().build(), k -> new ArrayList<>())
          .add(j);
    }
    for (List<Integer> group : groups.values()) {
      JobResult first = jobs.get(group.getFirst());
      b.append("<h3>").append(esc(first.plan().name())).append(" <span class=\"meta\">build ");
      b.append(esc(first.plan().build())).append("</span></h3>\n");
      Set<String> tests = new LinkedHashSet<>();
      first.plan().tests().stream().map(TestSpec::name).forEach(tests::add);
      group.forEach(j -> jobs.get(j).tasks().forEach(t -> tests.add(t.testName())));
      b.append("<table class=\"matrix\"><thead><tr><th scope=\"col\">test</th>");
      for (int j : group) {
        b.append("<th scope=\"col\">").append(esc(jobs.get(j).platform())).append("</th>");
      }
      b.append("</tr></thead><tbody>\n");
      for (String test : tests) {
        b.append("<tr><th scope=\"row\">").append(esc(test)).append("</th>");
        for (int j : group) {
          cell(b, jobs.get(j), j, test);
        }
        b.append("</tr>\n");
      }
      b.append("</tbody></table>\n");
    }
    b.append("</section>\n");
  }

  private static void cell(StringBuilder b, JobResult job, int j, String test) {
    Optional<Integer> at = Optional.empty();
    for (int t = 0; t < job.tasks().size() && at.isEmpty(); t++) {
      if (job.tasks().get(t).testName().equals(test)) {
        at = Optional.of(t);
      }
    }
    if (at.isEmpty()) {
      b.append("<td class=\"s-none\">not run here</td>");
      return;
    }
    TaskResult t = job.tasks().get(at.get());
    b.append("<td class=\"s-").append(TaskSections.lower(t.status())).append('"');
    t.reason().ifPresent(r -> b.append(" title=\"").append(esc(r)).append('"'));
    b.append("><a href=\"#").append(TaskSections.taskId(j, at.get())).append("\">");
    b.append(t.status().name()).append("</a>");
    if (t.attempts().size() > 1) {
      b.append("<small>").append(t.attempts().size()).append(" attempts</small>");
    }
    int missing = TaskSections.missing(job, t).size();
    if (missing > 0) {
      b.append("<small>").append(missing).append(" missing</small>");
    }
    b.append("</td>");
  }

  private static void missing(StringBuilder b, List<JobResult> jobs) {
    b.append("<section id=\"missing\">\n<h2>Expected but missing</h2>\n");
    StringBuilder rows = new StringBuilder();
    for (int j = 0; j < jobs.size(); j++) {
      JobResult job = jobs.get(j);
      for (int t = 0; t < job.tasks().size(); t++) {
        TaskResult task = job.tasks().get(t);
        for (TaskSections.Missing m : TaskSections.missing(job, task)) {
          rows.append("<tr><td>").append(esc(job.plan().name())).append("</td><td>");
          rows.append(esc(job.platform())).append("</td><td><a href=\"#");
          rows.append(TaskSections.taskId(j, t)).append("\">").append(esc(task.testName()));
          rows.append("</a></td><td>").append(esc(m.name())).append("</td><td>");
          rows.append(esc(m.why())).append("</td></tr>\n");
        }
      }
    }
    if (rows.isEmpty()) {
      b.append("<p class=\"empty\">None: every case the plans expect reported.</p>\n");
    } else {
      b.append("<table class=\"missing\"><thead><tr><th scope=\"col\">plan</th>");
      b.append("<th scope=\"col\">platform</th><th scope=\"col\">test</th>");
      b.append("<th scope=\"col\">case</th><th scope=\"col\">why</th></tr></thead><tbody>\n");
      b.append(rows).append("</tbody></table>\n");
    }
    b.append("</section>\n");
  }
}
