package io.proteus.core.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proteus.core.internal.util.Slugs;
import io.proteus.model.CaseStatus;
import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestCaseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Writes finished jobs as JUnit XML (one testsuite per task) and as a JSON summary whose schema is
 * documented in docs/summary-schema.md. Files are written atomically.
 */
public final class Reports {
  /** The summary's schema version. */
  public static final int SUMMARY_VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Reports() {}

  /** Writes {@code <job>.junit.xml} per job and {@code summary.json} into {@code dir}. */
  public static void write(List<JobResult> jobs, Path dir) throws IOException {
    Files.createDirectories(dir);
    for (JobResult job : jobs) {
      atomicWrite(dir.resolve(fileStem(job) + ".junit.xml"), junitXml(job));
    }
    atomicWrite(dir.resolve("report.html"), HtmlReport.html(jobs, dir));
    atomicWrite(dir.resolve("summary.json"), summaryJson(jobs));
  }

  /** A file-name stem for a job: its plan and platform. */
  public static String fileStem(JobResult job) {
    return Slugs.of(job.plan().name() + "-" + job.platform(), 200);
  }

  /** The job as JUnit XML: one testsuite per task, one testcase per case. */
  public static String junitXml(JobResult job) {
    StringBuilder x =
        new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"");
    x.append(esc(job.plan().name()))
        .append("\" platform=\"")
        .append(esc(job.platform()))
        .append("\">\n");
    for (TaskResult t : job.tasks()) {
      long failures = t.cases().stream().filter(c -> c.status() == CaseStatus.FAILED).count();
      long skipped = t.cases().stream().filter(c -> c.status() == CaseStatus.SKIPPED).count();
      boolean error = t.status() == TaskStatus.ERROR || t.status() == TaskStatus.CANCELLED;
      int tests = Math.max(1, t.cases().size());
      x.append("  <testsuite name=\"")
          .append(esc(t.testName()))
          .append("\" tests=\"")
          .append(tests)
          .append("\" failures=\"")
          .append(failures)
          .append("\" errors=\"")
          .append(error ? 1 : 0)
          .append("\" skipped=\"")
          .append(skipped)
          .append("\">\n");
      x.append("    <properties><property name=\"status\" value=\"")
          .append(t.status())
          .append("\"/><property name=\"attempts\" value=\"")
          .append(t.attempts().size())
          .append("\"/></properties>\n");
      if (t.cases().isEmpty()) {
        x.append("    <testcase name=\"")
            .append(esc(t.testName()))
            .append("\" classname=\"")
            .append(esc(t.testName()))
            .append("\">");
        if (error) {
          x.append("<error message=\"")
              .append(esc(t.reason().orElse(t.status().name())))
              .append("\"/>");
        }
        x.append("</testcase>\n");
      }
      for (TestCaseResult c : t.cases()) {
        x.append("    <testcase name=\"")
            .append(esc(c.name()))
            .append("\" classname=\"")
            .append(esc(t.testName()))
            .append("\" time=\"")
            .append(String.format(Locale.ROOT, "%.3f", c.duration().toMillis() / 1000.0))
            .append("\">");
        switch (c.status()) {
          case FAILED ->
              x.append("<failure message=\"")
                  .append(esc(c.message().orElse("failed")))
                  .append("\"/>");
          case SKIPPED ->
              x.append("<skipped message=\"")
                  .append(esc(c.message().orElse("skipped")))
                  .append("\"/>");
          case PASSED -> {}
        }
        x.append("</testcase>\n");
      }
      x.append("  </testsuite>\n");
    }
    return x.append("</testsuites>\n").toString();
  }

  /** The jobs as the JSON summary. */
  public static String summaryJson(List<JobResult> jobs) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", SUMMARY_VERSION);
    ObjectNode totals = root.putObject("totals");
    for (TaskStatus s :
        List.of(TaskStatus.PASSED, TaskStatus.FAILED, TaskStatus.ERROR, TaskStatus.CANCELLED)) {
      totals.put(s.name().toLowerCase(Locale.ROOT), jobs.stream().mapToLong(j -> j.count(s)).sum());
    }
    ArrayNode arr = root.putArray("jobs");
    for (JobResult j : jobs) {
      ObjectNode jn = arr.addObject();
      jn.put("id", j.id().value());
      jn.put("plan", j.plan().name());
      jn.put("build", j.plan().build());
      jn.put("platform", j.platform());
      jn.put("pool", j.plan().pool());
      jn.put("status", j.status().name());
      ArrayNode tasks = jn.putArray("tasks");
      for (TaskResult t : j.tasks()) {
        ObjectNode tn = tasks.addObject();
        tn.put("platform", t.platform());
        tn.put("test", t.testName());
        tn.put("status", t.status().name());
        tn.put("attempts", t.attempts().size());
        if (t.reason().isPresent()) {
          tn.put("reason", t.reason().get());
        } else {
          tn.putNull("reason");
        }
        if (t.exitCode().isPresent()) {
          tn.put("exitCode", t.exitCode().get());
        }
        t.log().ifPresent(l -> tn.put("log", l));
        ArrayNode logs = tn.putArray("attemptLogs");
        for (var a : t.attempts()) {
          if (a.log().isPresent()) {
            ObjectNode an = logs.addObject();
            an.put("attempt", a.number());
            an.put("worker", a.workerId());
            a.end().ifPresent(e -> an.put("end", e.name()));
            an.put("log", a.log().get());
          }
        }
        ArrayNode cases = tn.putArray("cases");
        for (TestCaseResult c : t.cases()) {
          ObjectNode cn = cases.addObject();
          cn.put("name", c.name());
          cn.put("status", c.status().name().toLowerCase(Locale.ROOT));
          c.message().ifPresent(m -> cn.put("message", m));
          cn.put("expected", c.expected());
        }
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the summary", e);
    }
  }

  /** Writes a file through a temporary sibling and a move, so readers never see half of it. */
  public static void atomicWrite(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> {
          if (ch >= 0x20 || ch == '\n' || ch == '\t' || ch == '\r') {
            b.append(ch);
          }
        }
      }
    }
    return b.toString();
  }
}
