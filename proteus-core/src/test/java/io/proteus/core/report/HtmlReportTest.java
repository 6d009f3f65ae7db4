package io.proteus.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.CaseStatus;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.JobStatus;
import io.proteus.model.TaskId;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestCaseResult;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
  static final String HOSTILE = "<script>alert(1)</script>";
  static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  @TempDir Path dir;

  static TestPlan plan(String name, String... platforms) {
    return TestPlan.builder(name)
        .build("1.2.3")
        .platforms(platforms)
        .addTest(TestSpec.of("math", "bin/calc", Optional.empty(), List.of("adds", "divides")))
        .addTest(TestSpec.of(HOSTILE, "bin/calc", Optional.empty(), List.of()))
        .addTest(TestSpec.of("hangs", "bin/hang", Optional.empty(), List.of("finishes")))
        .build();
  }

  static AttemptRecord attempt(int n, AttemptEnd end, String reason, String log) {
    return new AttemptRecord(
        n,
        n,
        "worker-" + n,
        T0.plusSeconds(n),
        Optional.of(end),
        Optional.ofNullable(reason),
        Optional.ofNullable(log));
  }

  static TaskResult task(
      JobId job,
      int index,
      String test,
      TaskStatus status,
      String reason,
      List<AttemptRecord> attempts,
      List<TestCaseResult> cases) {
    return new TaskResult(
        new TaskId(job, index),
        test,
        "linux",
        status,
        attempts,
        Optional.ofNullable(reason),
        cases,
        cases.isEmpty() ? Optional.empty() : Optional.of(status == TaskStatus.PASSED ? 0 : 1),
        attempts.getLast().log());
  }

  /** A job with a retried passing task, a failing one with a hostile name and one that errored. */
  JobResult job(String platform) throws Exception {
    JobId id = new JobId("b1-sample-" + platform);
    Files.createDirectories(dir.resolve("logs"));
    Files.writeString(dir.resolve("logs/math-a1.log"), "worker died mid-way\n");
    Files.writeString(dir.resolve("logs/math-a2.log"), "adds ok\nMATH-LOG-LINE\n");
    Path absolute = dir.resolve("elsewhere.log");
    Files.writeString(absolute, "hostile log " + HOSTILE + " {{script}}\n\u001B[31mred\u001B[0m\n");
    TaskResult math =
        task(
            id,
            0,
            "math",
            TaskStatus.FAILED,
            "expected but skipped or never reported: divides",
            List.of(
                attempt(1, AttemptEnd.WORKER_LOST, "the worker vanished", "logs/math-a1.log"),
                attempt(2, AttemptEnd.COMPLETED, null, "logs/math-a2.log")),
            List.of(
                TestCaseResult.of("adds", CaseStatus.PASSED),
                new TestCaseResult(
                    "divides",
                    CaseStatus.SKIPPED,
                    Optional.of("expected but never reported"),
                    Duration.ZERO,
                    true),
                new TestCaseResult(
                    "extra", CaseStatus.PASSED, Optional.empty(), Duration.ofMillis(1500), false)));
    TaskResult hostile =
        task(
            id,
            1,
            HOSTILE,
            TaskStatus.FAILED,
            "failed: " + HOSTILE,
            List.of(attempt(1, AttemptEnd.COMPLETED, null, absolute.toString())),
            List.of(
                new TestCaseResult(
                    HOSTILE,
                    CaseStatus.FAILED,
                    Optional.of("\"quoted\" & 'single' " + HOSTILE),
                    Duration.ZERO,
                    true)));
    TaskResult hangs =
        task(
            id,
            2,
            "hangs",
            TaskStatus.ERROR,
            "timed out 3 times",
            List.of(
                attempt(1, AttemptEnd.TIMEOUT, "timed out", "logs/gone.log"),
                attempt(2, AttemptEnd.TIMEOUT, "timed out", null),
                attempt(3, AttemptEnd.TIMEOUT, "timed out", "logs/math-a1.log")),
            List.of());
    return new JobResult(
        id,
        "folder",
        "b1",
        plan("sample", "linux", "mac"),
        platform,
        JobStatus.COMPLETED,
        List.of(math, hostile, hangs),
        T0,
        Optional.of(T0.plusSeconds(42)));
  }

  @Test
  void aHostileNameReasonOrLogIsTextAndTheOnlyScriptIsThePagesOwn() throws Exception {
    String html = HtmlReport.html(List.of(job("linux")), dir);
    assertThat(html).doesNotContain(HOSTILE).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(Pattern.compile("<script").matcher(html).results().count()).isEqualTo(1);
    assertThat(html)
        .contains("&quot;quoted&quot; &amp; &#39;single&#39;")
        .contains("hostile log &lt;script&gt;")
        .contains("{{script}}")
        .contains("\nred\n")
        .doesNotContain("\u001B");
  }

  @Test
  void thePageReferencesNothingOutsideItselfAndItsPolicyForbidsTheNetwork() throws Exception {
    String html = HtmlReport.html(List.of(job("linux"), job("mac")), dir);
    assertThat(html)
        .doesNotContain("http:")
        .doesNotContain("https:")
        .doesNotContain("//")
        .doesNotContain("src=")
        .doesNotContain("url(")
        .doesNotContain("@import")
        .doesNotContainIgnoringCase("<link")
        .doesNotContainIgnoringCase("<iframe")
        .doesNotContainIgnoringCase("<img");
    Matcher href = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
    int links = 0;
    while (href.find()) {
      assertThat(href.group(1)).startsWith("#");
      links++;
    }
    assertThat(links).isGreaterThan(5);
    String style = between(html, "<style>", "</style>");
    String script = between(html, "<script>", "</script>");
    assertThat(html)
        .contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
                + Html.cspHash(style)
                + "; script-src "
                + Html.cspHash(script)
                + "; base-uri 'none'; form-action 'none'\">");
  }

  @Test
  void theMatrixHasARowPerTestAndAColumnPerPlatform() throws Exception {
    String html = HtmlReport.html(List.of(job("linux"), job("mac")), dir);
    String matrix = between(html, "<table class=\"matrix\">", "</table>");
    assertThat(matrix)
        .contains("<th scope=\"col\">linux</th><th scope=\"col\">mac</th>")
        .contains("<th scope=\"row\">math</th>")
        .contains("<a href=\"#j0-t0\">FAILED</a><small>2 attempts</small><small>1 missing</small>")
        .contains("<a href=\"#j1-t2\">ERROR</a><small>3 attempts</small><small>1 missing</small>")
        .contains("title=\"timed out 3 times\"");
    assertThat(html)
        .contains("<dt>tasks</dt><dd>6</dd>")
        .contains("<dt>failed</dt><dd>4</dd>")
        .contains("<dt>error</dt><dd>2</dd>")
        .contains("<dt>retried</dt><dd>4</dd>")
        .contains("<dt>missing cases</dt><dd>4</dd>");
  }

  @Test
  void theMissingCasesAreListedWithWhy() throws Exception {
    String html = HtmlReport.html(List.of(job("linux")), dir);
    String missing = between(html, "<section id=\"missing\">", "</section>");
    assertThat(missing)
        .contains("<td>divides</td><td>never reported</td>")
        .contains("<td>finishes</td><td>not run: the task ended ERROR</td>")
        .doesNotContain("adds");
    assertThat(html)
        .contains("extra <span class=\"badge s-none\">not expected</span>")
        .contains("<td>1.500 s</td>");
  }

  @Test
  void eachAttemptsLogIsEmbeddedCollapsedOrSaysWhyNot() throws Exception {
    String html = HtmlReport.html(List.of(job("linux")), dir);
    assertThat(html)
        .contains("<details class=\"log\" id=\"j0-t0-a2\"><summary>Attempt 2 log · worker-2")
        .contains("<pre>\nadds ok\nMATH-LOG-LINE\n</pre>")
        .contains("The log logs/gone.log is missing")
        .contains("<details class=\"log\" id=\"j0-t2-a2\"><summary>Attempt 2 log · worker-2 ·")
        .contains("The worker kept no log for this attempt.")
        .doesNotContain("<details open");
  }

  @Test
  void aLongLogKeepsItsStartAndItsEndAndSaysHowMuchWasCut() throws Exception {
    String middle = "m".repeat(1024 * 1024);
    Files.writeString(dir.resolve("big.log"), "FIRST-LINE\n" + middle + "\nLAST-LINE\n");
    String html =
        HtmlReport.html(
            List.of(
                new JobResult(
                    new JobId("big"),
                    "a",
                    "b",
                    plan("big", "linux"),
                    "linux",
                    JobStatus.COMPLETED,
                    List.of(
                        task(
                            new JobId("big"),
                            0,
                            "math",
                            TaskStatus.PASSED,
                            null,
                            List.of(attempt(1, AttemptEnd.COMPLETED, null, "big.log")),
                            List.of(TestCaseResult.of("adds", CaseStatus.PASSED)))),
                    T0,
                    Optional.empty())),
            dir);
    assertThat(html)
        .contains("FIRST-LINE", "LAST-LINE")
        .contains("[... 768.0 KiB cut here ...]")
        .contains("This log is 1.0 MiB; the report keeps its first 64.0 KiB and its last 192.0 KiB")
        .contains("The whole log is big.log.");
    assertThat(html.length()).isLessThan(HtmlReport.LOG_CAP_BYTES + 64 * 1024);
  }

  @Test
  void reportsWriteTheHtmlBesideTheXmlAndTheSummary() throws Exception {
    Reports.write(List.of(job("linux")), dir);
    assertThat(dir.resolve("report.html")).exists();
    assertThat(Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8))
        .startsWith("<!DOCTYPE html>")
        .contains("MATH-LOG-LINE");
    assertThat(dir.resolve("summary.json")).exists();
  }

  @Test
  void noJobsIsAPageToo() {
    assertThat(HtmlReport.html(List.of(), dir))
        .contains("<title>Proteus report: no jobs</title>")
        .contains("No jobs.");
  }

  static String between(String s, String from, String to) {
    int a = s.indexOf(from);
    assertThat(a).as("where %s is", from).isNotNegative();
    int z = s.indexOf(to, a + from.length());
    assertThat(z).as("where %s is", to).isNotNegative();
    return s.substring(a + from.length(), z);
  }
}
