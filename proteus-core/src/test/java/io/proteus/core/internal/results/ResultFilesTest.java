package io.proteus.core.internal.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.proteus.model.CaseStatus;
import io.proteus.model.TestCaseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFilesTest {
  @TempDir Path tmp;
  Path dir;

  @BeforeEach
  void makeFolder() throws IOException {
    dir = Files.createDirectories(tmp.resolve("results"));
  }

  static TestCaseResult only(List<TestCaseResult> cases) {
    assertThat(cases).hasSize(1);
    return cases.getFirst();
  }

  @Test
  void aFileThatIsNotUtf8IsOneFailedCaseNamedAfterIt() throws IOException {
    Files.write(dir.resolve("bad.jsonl"), new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}', '\n'});
    Files.write(dir.resolve("bad.tap"), new byte[] {'o', 'k', ' ', (byte) 0xc3, '\n'});
    List<TestCaseResult> cases = ResultFiles.read(dir);
    assertThat(cases)
        .extracting(TestCaseResult::name, TestCaseResult::status)
        .containsExactly(
            tuple("unreadable result (bad.jsonl)", CaseStatus.FAILED),
            tuple("unreadable result (bad.tap)", CaseStatus.FAILED));
    assertThat(cases.getFirst().message()).hasValueSatisfying(m -> assertThat(m).contains("UTF-8"));
  }

  @Test
  void aSymlinkAFolderAndAPipeNamedLikeResultsAreFailedCases() throws Exception {
    Path secret =
        Files.writeString(tmp.resolve("secret.jsonl"), "{\"name\":\"x\",\"status\":\"passed\"}");
    Files.createSymbolicLink(dir.resolve("a.jsonl"), secret);
    Files.createDirectories(dir.resolve("b.xml"));
    Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("c.tap").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    List<TestCaseResult> cases =
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ResultFiles.read(dir));
    assertThat(cases)
        .extracting(TestCaseResult::name, TestCaseResult::status)
        .containsExactly(
            tuple("unreadable result (a.jsonl)", CaseStatus.FAILED),
            tuple("unreadable result (b.xml)", CaseStatus.FAILED),
            tuple("unreadable result (c.tap)", CaseStatus.FAILED));
  }

  @Test
  void aResultsFolderReplacedByALinkIsAFailedCase() throws IOException {
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("r.jsonl"), "{\"name\":\"x\",\"status\":\"passed\"}\n");
    Files.delete(dir);
    Files.createSymbolicLink(dir, elsewhere);
    assertThat(only(ResultFiles.read(dir)).name()).isEqualTo("unreadable result (results folder)");
  }

  @Test
  void noResultsFolderIsNoCases() throws Exception {
    assertThat(ResultFiles.read(tmp.resolve("none"))).isEmpty();
  }

  @Test
  void malformedXmlIsAFailedCaseAndKeepsWhatCameBefore() throws IOException {
    Files.writeString(dir.resolve("r.xml"), "<testsuite><testcase name=\"a\"/><testcase name=");
    assertThat(ResultFiles.read(dir))
        .extracting(TestCaseResult::name, TestCaseResult::status)
        .containsExactly(
            tuple("a", CaseStatus.PASSED), tuple("unreadable result (r.xml)", CaseStatus.FAILED));
  }

  @Test
  void externalEntitiesAreNeverResolved() throws IOException {
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "hunter2");
    Files.writeString(
        dir.resolve("r.xml"),
        "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \""
            + secret.toUri()
            + "\">]><testsuite><testcase name=\"a\"><failure message=\"&x;\"/></testcase>"
            + "</testsuite>");
    TestCaseResult c = only(ResultFiles.read(dir));
    assertThat(c.name()).isEqualTo("unreadable result (r.xml)");
    assertThat(c.message().orElseThrow()).contains("DTD").doesNotContain("hunter2");
  }

  @Test
  void entityExpansionBombsAreRefused() throws IOException {
    StringBuilder b =
        new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY l0 \"lol\">");
    for (int i = 1; i < 10; i++) {
      b.append("<!ENTITY l").append(i).append(" \"");
      b.append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
    }
    b.append("]><testsuite><testcase name=\"&l9;\"/></testsuite>");
    Files.writeString(dir.resolve("r.xml"), b);
    TestCaseResult c =
        only(assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ResultFiles.read(dir)));
    assertThat(c.name()).isEqualTo("unreadable result (r.xml)");
  }

  @Test
  void deepNestingIsRefused() throws IOException {
    int depth = 200_000;
    Files.writeString(
        dir.resolve("r.xml"),
        "<testsuite><testcase name=\"a\"><failure>"
            + "<x>".repeat(depth)
            + "boom"
            + "</x>".repeat(depth)
            + "</failure></testcase></testsuite>");
    List<TestCaseResult> cases =
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ResultFiles.read(dir));
    assertThat(only(cases).message().orElseThrow()).containsAnyOf("nested deeper", "depth");
  }

  @Test
  void aHugeTapLineTakesLinearTime() throws IOException {
    Files.writeString(
        dir.resolve("r.tap"),
        "ok 1 - " + " ".repeat(2_000_000) + "x" + " ".repeat(2_000_000) + "y\nnot ok 2 - b\n");
    List<TestCaseResult> cases =
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ResultFiles.read(dir));
    assertThat(cases)
        .extracting(TestCaseResult::status)
        .containsExactly(CaseStatus.PASSED, CaseStatus.FAILED);
    assertThat(cases.getFirst().name()).startsWith("x ").contains("characters dropped");
  }

  @Test
  void aFileAboveTheLimitIsAFailedCase() throws IOException {
    Files.write(dir.resolve("r.jsonl"), new byte[ResultFiles.MAX_FILE_BYTES + 1]);
    assertThat(only(ResultFiles.read(dir)).message().orElseThrow()).contains("larger than");
  }

  @Test
  void namesAndMessagesAreCut() throws IOException {
    String name = "n".repeat(5000);
    String message = "m".repeat(100_000);
    Files.writeString(
        dir.resolve("r.jsonl"),
        "{\"name\":\"" + name + "\",\"status\":\"failed\",\"message\":\"" + message + "\"}\n");
    TestCaseResult c = only(ResultFiles.read(dir));
    assertThat(c.name()).hasSizeLessThan(1100).endsWith("[4000 characters dropped]");
    assertThat(c.message().orElseThrow()).hasSizeLessThan(17_000);
  }

  @Test
  void tooManyResultFilesReadTheFirstByNameAndSaySo() throws IOException {
    for (int i = 0; i < ResultFiles.MAX_FILES + 5; i++) {
      Files.writeString(
          dir.resolve(String.format("r%05d.jsonl", i)),
          "{\"name\":\"c" + i + "\",\"status\":\"passed\"}\n");
    }
    List<TestCaseResult> cases = ResultFiles.read(dir);
    assertThat(cases).hasSize(ResultFiles.MAX_FILES + 1);
    assertThat(cases.getFirst().name()).isEqualTo("c0");
    assertThat(cases.getLast().name()).isEqualTo("unreadable result (results folder)");
  }

  @Test
  void junitXmlStatusesMessagesAndEntitiesAreRead() throws IOException {
    Files.write(
        dir.resolve("r.xml"),
        ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><testsuite>"
                + "<testcase name=\"caf\u00e9\" time=\"1.5\"/>"
                + "<testcase name=\"b\"><skipped/><error message=\"e\"/><failure>a &amp; b"
                + "<![CDATA[ <c> ]]></failure></testcase>"
                + "<testcase name=\"c\"><skipped message=\"later\"/></testcase>"
                + "<testcase/></testsuite>")
            .getBytes(StandardCharsets.ISO_8859_1));
    List<TestCaseResult> cases = ResultFiles.read(dir);
    assertThat(cases)
        .extracting(TestCaseResult::name, TestCaseResult::status, TestCaseResult::message)
        .containsExactly(
            tuple("caf\u00e9", CaseStatus.PASSED, java.util.Optional.empty()),
            tuple("b", CaseStatus.FAILED, java.util.Optional.of("a & b <c>")),
            tuple("c", CaseStatus.SKIPPED, java.util.Optional.of("later")),
            tuple(
                "unreadable result (r.xml)",
                CaseStatus.FAILED,
                java.util.Optional.of("a testcase has no name")));
    assertThat(cases.getFirst().duration()).isEqualTo(Duration.ofMillis(1500));
  }
}
