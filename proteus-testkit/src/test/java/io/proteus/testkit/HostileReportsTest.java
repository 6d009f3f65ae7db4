package io.proteus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.core.report.JunitFlavour;
import io.proteus.core.report.JunitReport;
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
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/** Names and logs with anything in them still make XML both schemas accept, and read back. */
class HostileReportsTest {
  static final String HOSTILE =
      "q\"uote 'apos' <tag> & ]]> \u0000\u0001\u001b[31m \uD800lone \uDC00low \uD83D\uDE00"
          + " tab\there\r\nnew\u000Bline\rend \uFFFE\uFFFF.";

  static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  @TempDir Path tmp;

  /** What a parser gives back for {@code s} written as an attribute: forbidden characters gone. */
  static String asAttribute(String s) {
    return keepAllowed(s.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' '))
        .replace('\t', ' ');
  }

  static String asText(String s) {
    return keepAllowed(s.replace("\r\n", "\n").replace('\r', '\n'));
  }

  static String keepAllowed(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .filter(c ->
            c == 0x9
                || c == 0xA
                || c == 0xD
                || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD)
                || c >= 0x10000)
        .forEach(b::appendCodePoint);
    return b.toString();
  }

  static JobResult job(
      String name, List<AttemptRecord> attempts, TaskStatus status, TestCaseResult... cases) {
    JobId id = new JobId("job-" + name.length());
    TestPlan plan =
        new TestPlan(
            name,
            name,
            List.of("linux"),
            "pool",
            Optional.empty(),
            List.of(TestSpec.of(name, "bin/x", Optional.empty(), List.of())));
    TaskResult t =
        new TaskResult(
            new TaskId(id, 0),
            name,
            "linux",
            status,
            attempts,
            status == TaskStatus.PASSED ? Optional.empty() : Optional.of(name),
            List.of(cases),
            Optional.of(1),
            attempts.isEmpty() ? Optional.empty() : attempts.getLast().log());
    return new JobResult(
        id,
        "a",
        name,
        plan,
        "linux",
        JobStatus.COMPLETED,
        List.of(t),
        T0,
        Optional.of(T0.plusSeconds(5)));
  }

  static AttemptRecord attempt(int n, String worker, AttemptEnd end, Optional<String> log) {
    return new AttemptRecord(
        n,
        n,
        worker,
        T0.plusSeconds(n),
        Optional.of(T0.plusSeconds(n + 1)),
        Optional.of(end),
        end == AttemptEnd.COMPLETED ? Optional.empty() : Optional.of(HOSTILE),
        log);
  }

  static Document dom(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }

  static Element first(Document d, String tag) {
    return (Element) d.getElementsByTagName(tag).item(0);
  }

  @ParameterizedTest
  @EnumSource(JunitFlavour.class)
  void hostileNamesAndMessagesRoundTripThroughAParser(JunitFlavour flavour) throws Exception {
    JobResult job =
        job(
            HOSTILE,
            List.of(
                attempt(1, HOSTILE, AttemptEnd.WORKER_LOST, Optional.empty()),
                attempt(2, HOSTILE, AttemptEnd.COMPLETED, Optional.empty())),
            TaskStatus.FAILED,
            new TestCaseResult(
                HOSTILE, CaseStatus.FAILED, Optional.of(HOSTILE), Duration.ofMillis(1500), true),
            new TestCaseResult(
                HOSTILE + "2", CaseStatus.SKIPPED, Optional.of(HOSTILE), Duration.ZERO, true));
    String xml = JunitReport.of(flavour).xml(job);
    assertThat(JunitXmlRules.violations(xml, flavour)).as(xml).isEmpty();
    Document d = dom(xml);
    Element c = first(d, "testcase");
    assertThat(c.getAttribute("name")).isEqualTo(asAttribute(HOSTILE));
    assertThat(c.getAttribute("classname")).isEqualTo(asAttribute(HOSTILE));
    assertThat(c.getAttribute("time")).isEqualTo("1.500");
    Element failure = first(d, "failure");
    assertThat(failure.getAttribute("message")).isEqualTo(asAttribute(HOSTILE));
    assertThat(failure.getTextContent()).isEqualTo(asText(HOSTILE));
    assertThat(first(d, "skipped").getTextContent()).isEqualTo(asText(HOSTILE));
    assertThat(d.getDocumentElement().getAttribute("name"))
        .isEqualTo(asAttribute(HOSTILE + " on linux"));
    if (flavour == JunitFlavour.JUNIT4) {
      assertThat(first(d, "testsuite").getAttribute("hostname")).isEqualTo(asAttribute(HOSTILE));
    } else {
      assertThat(first(d, "rerunError").getAttribute("message")).isEqualTo(asAttribute(HOSTILE));
    }
    assertThat(xml).doesNotContain("\u0000", "\u001b", "\uFFFE").contains("\uD83D\uDE00");
  }

  @ParameterizedTest
  @EnumSource(JunitFlavour.class)
  void aLongLogGivesItsCappedTailWithWhatWasCutAndALogThatIsGoneGivesNone(JunitFlavour flavour)
      throws Exception {
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    StringBuilder log = new StringBuilder();
    for (int i = 0; log.length() < 200_000; i++) {
      log.append("line ").append(i).append(" é\u001b[0m ü\n");
    }
    log.append("the last line\n");
    Files.writeString(logs.resolve("a2.log"), log, StandardCharsets.UTF_8);
    JobResult job =
        job(
            "p",
            List.of(
                attempt(1, "w1", AttemptEnd.TIMEOUT, Optional.of("logs/a1.log")),
                attempt(2, "w2", AttemptEnd.COMPLETED, Optional.of("logs/a2.log"))),
            TaskStatus.FAILED,
            new TestCaseResult("c", CaseStatus.FAILED, Optional.empty(), Duration.ZERO, true));
    String xml = JunitReport.of(flavour).withLogsUnder(tmp).xml(job);
    assertThat(JunitXmlRules.violations(xml, flavour)).as(xml).isEmpty();
    Document d = dom(xml);
    String out = first(d, "system-out").getTextContent();
    assertThat(out)
        .startsWith("[the first ")
        .contains("bytes are cut; the whole log is logs/a2.log]\n")
        .endsWith("the last line\n")
        .doesNotContain("\uFFFD");
    // 64 KiB of the log and the first line, less the escape characters XML cannot hold
    assertThat(out.getBytes(StandardCharsets.UTF_8).length)
        .isBetween(JunitReport.DEFAULT_LOG_TAIL * 9 / 10, JunitReport.DEFAULT_LOG_TAIL + 200);
    assertThat(out).contains("é[0m ü");
    // the first attempt's log does not exist: nothing of it, and no error
    assertThat(d.getElementsByTagName("system-out").getLength()).isEqualTo(1);

    String none = JunitReport.of(flavour).withLogsUnder(tmp).withLogTail(0).xml(job);
    assertThat(dom(none).getElementsByTagName("system-out").getLength()).isZero();
  }

  @Test
  void aShortLogIsWhole() throws Exception {
    Path log = Files.writeString(tmp.resolve("short.log"), "just this\n");
    JobResult job =
        job(
            "p",
            List.of(attempt(1, "w1", AttemptEnd.TIMEOUT, Optional.of(log.toString()))),
            TaskStatus.ERROR);
    Document d = dom(JunitReport.of(JunitFlavour.SUREFIRE).xml(job));
    assertThat(first(d, "system-out").getTextContent()).isEqualTo("just this\n");
    assertThat(first(d, "error").getAttribute("type")).isEqualTo("TIMEOUT");
  }
}
