package io.proteus.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.core.report.HtmlReport;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Opens the HTML report of a real {@code proteus demo} run in headless chromium: the matrix
 * renders, a log opens and shows its text, the search finds text in the logs, the browser's console
 * stays free of errors (a script or style the page's policy blocked would show there), and a
 * hostile test name stays text. Leaves in {@code target/} a screenshot of the page's top ({@code
 * report-screenshot.png}), one of a search ({@code report-search-screenshot.png}) and the page
 * itself ({@code report-demo.html}).
 */
class ReportInBrowserTest {
  @TempDir static Path tmp;
  static Path reports;
  static ChromeDriver browser;

  @BeforeAll
  static void runTheDemoAndStartTheBrowser() throws Exception {
    Chromium.require();
    reports = tmp.resolve("reports");
    assertThat(ProteusMain.execute("demo", "--out", reports.toString())).isZero();
    browser = Chromium.start(Files.createDirectories(tmp.resolve("profile")));
  }

  @AfterAll
  static void stopTheBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @AfterEach
  void theConsoleHasNoErrors() {
    List<LogEntry> severe =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .toList();
    assertThat(severe).as("the browser console's errors").isEmpty();
  }

  @Test
  void theDemosReportShowsTheMatrixALogAndFindsTextInTheLogs() throws Exception {
    Path page = reports.resolve("report.html");
    browser.get(page.toUri().toString());
    assertThat(browser.getTitle()).startsWith("Proteus report: sample");

    Map<String, String> cells = new TreeMap<>();
    List<WebElement> columns = browser.findElements(By.cssSelector("table.matrix thead th"));
    for (WebElement row : browser.findElements(By.cssSelector("table.matrix tbody tr"))) {
      String test = row.findElement(By.tagName("th")).getText();
      List<WebElement> tds = row.findElements(By.tagName("td"));
      for (int i = 0; i < tds.size(); i++) {
        String status = tds.get(i).findElement(By.tagName("a")).getText();
        cells.put(columns.get(i + 1).getText() + "/" + test, status);
      }
    }
    assertThat(cells)
        .containsEntry("linux-x64/math", "PASSED")
        .containsEntry("linux-arm64/strings", "PASSED")
        .containsEntry("linux-x64/known-bug", "FAILED")
        .containsEntry("linux-arm64/missing-report", "FAILED")
        .containsEntry("linux-x64/hangs", "ERROR")
        .containsEntry("linux-arm64/binary-only", "PASSED")
        .hasSize(12);
    assertThat(browser.findElement(By.id("missing")).getText()).contains("never reported");

    WebElement details =
        browser.findElement(By.xpath("//details[@class='log'][pre[contains(., '7/2 =')]]"));
    WebElement log = details.findElement(By.tagName("pre"));
    assertThat(log.isDisplayed()).as("a log starts collapsed").isFalse();
    details.findElement(By.tagName("summary")).click();
    await().pollInSameThread().atMost(Duration.ofSeconds(5)).until(log::isDisplayed);
    assertThat(log.getText()).contains("7/2 = 3");
    browser.executeScript("window.scrollTo(0, 0)");
    keep("report-screenshot.png", browser.getScreenshotAs(OutputType.BYTES));
    keep("report-demo.html", Files.readAllBytes(page));

    WebElement search = browser.findElement(By.id("log-search"));
    search.sendKeys("7/2 =");
    WebElement status = browser.findElement(By.id("search-status"));
    await()
        .pollInSameThread()
        .atMost(Duration.ofSeconds(5))
        .until(() -> status.getText().matches("\\d+ match(es)? in \\d+ logs?"));
    List<WebElement> marks = browser.findElements(By.cssSelector("details.log[open] pre mark"));
    assertThat(marks).isNotEmpty().allSatisfy(m -> assertThat(m.getText()).isEqualTo("7/2 ="));
    assertThat(browser.findElements(By.cssSelector("details.log[hidden]"))).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("article.task[data-status='PASSED']")))
        .allSatisfy(t -> assertThat(t.isDisplayed()).isFalse());

    keep("report-search-screenshot.png", browser.getScreenshotAs(OutputType.BYTES));

    search.clear();
    search.sendKeys(" ");
    search.sendKeys(org.openqa.selenium.Keys.BACK_SPACE);
    await()
        .pollInSameThread()
        .atMost(Duration.ofSeconds(5))
        .until(() -> browser.findElements(By.cssSelector("details.log[hidden]")).isEmpty());
  }

  @Test
  void aHostileTestNameIsTextAndRunsNothing() throws Exception {
    String hostile = "<img src=x onerror=alert(2)><script>alert(1)</script>";
    JobId id = new JobId("hostile");
    Instant t0 = Instant.parse("2026-12-03T10:00:00Z");
    Path dir = Files.createDirectories(tmp.resolve("hostile"));
    Files.writeString(dir.resolve("a1.log"), "log line " + hostile + "\n");
    TaskResult task =
        new TaskResult(
            new TaskId(id, 0),
            hostile,
            "linux",
            TaskStatus.FAILED,
            List.of(
                new AttemptRecord(
                    1,
                    1,
                    "w1",
                    t0,
                    Optional.of(AttemptEnd.COMPLETED),
                    Optional.empty(),
                    Optional.of("a1.log"))),
            Optional.of("failed: " + hostile),
            List.of(TestCaseResult.of(hostile, CaseStatus.FAILED)),
            Optional.of(1),
            Optional.of("a1.log"));
    JobResult job =
        new JobResult(
            id,
            "test",
            "b1",
            TestPlan.builder("hostile")
                .platforms("linux")
                .addTest(TestSpec.of(hostile, "bin", Optional.empty(), List.of()))
                .build(),
            "linux",
            JobStatus.COMPLETED,
            List.of(task),
            t0,
            Optional.of(t0));
    Path page = dir.resolve("report.html");
    Files.writeString(page, HtmlReport.html(List.of(job), dir));
    browser.get(page.toUri().toString());

    assertThat(browser.findElement(By.cssSelector("table.matrix tbody th")).getText())
        .isEqualTo(hostile);
    assertThat(browser.findElements(By.cssSelector("body img"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("body script"))).hasSize(1);
    assertThat(noAlert()).as("no alert opened").isTrue();
  }

  /** Leaves a file in the module's {@code target/}, for CI to archive. */
  static void keep(String name, byte[] content) throws java.io.IOException {
    Path target = Path.of(System.getProperty("basedir", "."), "target");
    Files.write(Files.createDirectories(target).resolve(name), content);
  }

  static boolean noAlert() {
    try {
      browser.switchTo().alert();
      return false;
    } catch (NoAlertPresentException e) {
      return true;
    }
  }
}
