package io.proteus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proteus.core.report.JunitFlavour;
import io.proteus.core.report.Reports;
import io.proteus.model.AttemptRecord;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * How retried attempts show in the reports, as a CI server reads them: a task that could not run
 * once and then passed is flaky, one that could not run three times has reruns, and a failed test
 * is not retried. Every report is checked against both schemas' rules.
 */
class FlakyReportsTest {
  final ProteusTestEnvironment env = ProteusTestEnvironment.create();

  @AfterEach
  void close() {
    env.close();
  }

  static TestSpec test(String name) {
    return TestSpec.of(name, "bin/" + name, Optional.empty(), List.of());
  }

  JobResult run(TestSpec... tests) {
    JobId id =
        env.submit(
                new TestPlan(
                    "plan", "1", List.of("linux"), "lab", Optional.empty(), List.of(tests)))
            .getFirst();
    env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(30));
    return env.job(id);
  }

  static Document dom(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }

  static Element testcase(Document d, String classname) {
    NodeList cases = d.getElementsByTagName("testcase");
    for (int i = 0; i < cases.getLength(); i++) {
      Element c = (Element) cases.item(i);
      if (c.getAttribute("classname").equals(classname)) {
        return c;
      }
    }
    throw new AssertionError("no testcase of " + classname);
  }

  static List<Element> children(Element e, String name) {
    NodeList l = e.getElementsByTagName(name);
    return java.util.stream.IntStream.range(0, l.getLength())
        .mapToObj(i -> (Element) l.item(i))
        .toList();
  }

  /** Both flavours of the job, each valid against its schema's rules. */
  static Document[] both(JobResult job) throws Exception {
    String surefire = Reports.junitXml(job, JunitFlavour.SUREFIRE);
    String junit4 = Reports.junitXml(job, JunitFlavour.JUNIT4);
    assertThat(JunitXmlRules.violations(surefire, JunitFlavour.SUREFIRE)).as(surefire).isEmpty();
    assertThat(JunitXmlRules.violations(junit4, JunitFlavour.JUNIT4)).as(junit4).isEmpty();
    return new Document[] {dom(surefire), dom(junit4)};
  }

  @Test
  void aTaskThatCouldNotRunOnceAndThenPassedIsAPassingTestWithAFlakyError() throws Exception {
    env.addWorkers(
        ScriptedWorker.of("a", "lab", "linux").on("t", Behavior.engineError()),
        ScriptedWorker.of("b", "lab", "linux").on("long", Behavior.pass(Duration.ofSeconds(10))));
    JobResult job = run(test("t"), test("long"));
    Document[] d = both(job);

    Element surefire = testcase(d[0], "t");
    assertThat(children(surefire, "failure")).isEmpty();
    assertThat(children(surefire, "error")).isEmpty();
    List<Element> flaky = children(surefire, "flakyError");
    assertThat(flaky)
        .singleElement()
        .satisfies(f -> {
          assertThat(f.getAttribute("type")).isEqualTo("ENGINE_ERROR");
          assertThat(f.getAttribute("message")).isEqualTo("scripted engine error");
          assertThat(children(f, "stackTrace").getFirst().getTextContent())
              .startsWith("attempt 1 on a, started ");
        });
    assertThat(d[0].getDocumentElement().getAttribute("errors")).isEqualTo("0");
    assertThat(d[0].getDocumentElement().getAttribute("failures")).isEqualTo("0");

    Element suite = (Element) testcase(d[1], "t").getParentNode();
    assertThat(suite.getAttribute("hostname")).isEqualTo("b");
    assertThat(suite.getAttribute("timestamp"))
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
    assertThat(suite.getAttribute("errors")).isEqualTo("0");
    assertThat(children(testcase(d[1], "t"), "system-err").getFirst().getTextContent())
        .contains("attempt 1 on a")
        .contains("ENGINE_ERROR: scripted engine error")
        .contains("attempt 2 on b");

    JsonNode t = summaryTask(job, "t");
    assertThat(t.path("flaky").asBoolean()).isTrue();
    assertThat(t.path("attemptHistory")).hasSize(2);
    JsonNode first = t.path("attemptHistory").get(0);
    assertThat(first.path("number").asInt()).isEqualTo(1);
    assertThat(first.path("worker").asText()).isEqualTo("a");
    assertThat(first.path("end").asText()).isEqualTo("ENGINE_ERROR");
    assertThat(first.path("reason").asText()).isEqualTo("scripted engine error");
    AttemptRecord a1 = job.tasks().getFirst().attempts().getFirst();
    assertThat(a1.finished()).isPresent();
    assertThat(first.path("started").asText()).isEqualTo(a1.started().toString());
    assertThat(first.path("finished").asText()).isEqualTo(a1.finished().get().toString());
    assertThat(t.path("attemptHistory").get(1).path("end").asText()).isEqualTo("COMPLETED");
    assertThat(t.path("attemptHistory").get(1).path("reason").isNull()).isTrue();
  }

  @Test
  void aTaskThatCouldNotRunThreeTimesIsAnErrorWithTwoReruns() throws Exception {
    env.addWorkers(
        ScriptedWorker.of("a", "lab", "linux").otherwise(Behavior.engineError()),
        ScriptedWorker.of("b", "lab", "linux").otherwise(Behavior.engineError()),
        ScriptedWorker.of("c", "lab", "linux").otherwise(Behavior.engineError()));
    JobResult job = run(test("t"));
    Document[] d = both(job);

    Element surefire = testcase(d[0], "t");
    assertThat(children(surefire, "error"))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.getAttribute("type")).isEqualTo("ENGINE_ERROR");
          assertThat(e.getAttribute("message")).contains("3 attempts");
        });
    assertThat(children(surefire, "rerunError")).hasSize(2);
    assertThat(children(surefire, "flakyError")).isEmpty();
    assertThat(d[0].getDocumentElement().getAttribute("errors")).isEqualTo("1");

    Element junit4 = testcase(d[1], "t");
    assertThat(children(junit4, "error"))
        .singleElement()
        .extracting(e -> e.getAttribute("type"))
        .isEqualTo("ENGINE_ERROR");
    assertThat(children(junit4, "system-err").getFirst().getTextContent())
        .contains("attempt 1 on", "attempt 2 on", "attempt 3 on");
    assertThat(((Element) junit4.getParentNode()).getAttribute("errors")).isEqualTo("1");

    JsonNode t = summaryTask(job, "t");
    assertThat(t.path("flaky").asBoolean()).isFalse();
    assertThat(t.path("attemptHistory")).hasSize(3);
    t.path("attemptHistory")
        .forEach(a -> assertThat(a.path("end").asText()).isEqualTo("ENGINE_ERROR"));
  }

  @Test
  void aFailedTestIsAFailureWithNoRerunsForItIsNotRetried() throws Exception {
    env.addWorkers(
        ScriptedWorker.of("a", "lab", "linux")
            .on("t", Behavior.fail(Duration.ofSeconds(2), "adds")));
    JobResult job = run(test("t"));
    Document[] d = both(job);

    for (Document doc : d) {
      Element c = testcase(doc, "t");
      assertThat(c.getAttribute("name")).isEqualTo("adds");
      assertThat(children(c, "failure"))
          .singleElement()
          .extracting(f -> f.getAttribute("type"))
          .isEqualTo("CASE_FAILED");
      assertThat(children(c, "rerunError")).isEmpty();
      assertThat(children(c, "rerunFailure")).isEmpty();
      assertThat(children(c, "flakyError")).isEmpty();
      assertThat(children(c, "error")).isEmpty();
    }
    Element suite = (Element) testcase(d[1], "t").getParentNode();
    assertThat(suite.getAttribute("hostname")).isEqualTo("a");
    assertThat(suite.getAttribute("time")).isEqualTo("2.000");
    assertThat(suite.getAttribute("failures")).isEqualTo("1");
    JsonNode t = summaryTask(job, "t");
    assertThat(t.path("attemptHistory")).hasSize(1);
    assertThat(t.path("flaky").asBoolean()).isFalse();
  }

  static JsonNode summaryTask(JobResult job, String test) throws Exception {
    JsonNode root = new ObjectMapper().readTree(Reports.summaryJson(List.of(job)));
    for (JsonNode t : root.path("jobs").get(0).path("tasks")) {
      if (t.path("test").asText().equals(test)) {
        return t;
      }
    }
    throw new AssertionError("no task " + test);
  }
}
