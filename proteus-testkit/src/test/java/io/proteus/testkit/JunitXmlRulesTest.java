package io.proteus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.core.report.JunitFlavour;
import org.junit.jupiter.api.Test;

/** The schema rules catch what each schema refuses and pass what it allows. */
class JunitXmlRulesTest {
  static final String SUREFIRE_OK =
      "<testsuite name=\"s\" time=\"1,234.5\" tests=\"2\" errors=\"0\" skipped=\"0\" failures=\"1\">"
          + "<properties><property name=\"a\" value=\"b\"/></properties>"
          + "<testcase name=\"a\" classname=\"c\" time=\"0.1\"><failure type=\"t\" message=\"m\">x</failure>"
          + "<rerunError type=\"E\"><stackTrace>s</stackTrace><system-out>o</system-out></rerunError>"
          + "<system-out>o</system-out></testcase>"
          + "<testcase name=\"b\" time=\"0\"><flakyError type=\"E\"><stackTrace/></flakyError></testcase>"
          + "</testsuite>";

  static final String JUNIT4_OK =
      "<testsuites name=\"n\" tests=\"1\"><testsuite name=\"s\" tests=\"1\" hostname=\"w\""
          + " timestamp=\"2026-12-03T10:00:00\" id=\"0\"><properties><property name=\"a\" value=\"b\"/>"
          + "</properties><testcase name=\"a\" time=\"1\"><skipped>why</skipped>"
          + "<system-out>o</system-out><system-err>e</system-err></testcase>"
          + "<system-out>o</system-out></testsuite></testsuites>";

  @Test
  void validReportsPass() {
    assertThat(JunitXmlRules.violations(SUREFIRE_OK, JunitFlavour.SUREFIRE)).isEmpty();
    assertThat(JunitXmlRules.violations(JUNIT4_OK, JunitFlavour.JUNIT4)).isEmpty();
  }

  @Test
  void whatJenkinsRefusesIsCaught() {
    assertThat(
            JunitXmlRules.violations(
                "<testsuites platform=\"x\"><testsuite name=\"s\" tests=\"1\"><properties/>"
                    + "<testcase name=\"a\"><skipped message=\"m\"/><failure/><error/>"
                    + "<flakyError type=\"E\"><stackTrace/></flakyError></testcase></testsuite>"
                    + "</testsuites>",
                JunitFlavour.JUNIT4))
        .anySatisfy(v -> assertThat(v).contains("attribute platform is not allowed"))
        .anySatisfy(v -> assertThat(v).contains("<property> is missing"))
        .anySatisfy(v -> assertThat(v).contains("skipped[0]: attribute message is not allowed"))
        .anySatisfy(v -> assertThat(v).contains("<error> is not allowed here"));
    assertThat(
            JunitXmlRules.violations(
                "<testsuites><testsuite name=\"s\" tests=\"1\"><testcase name=\"a\">"
                    + "<flakyError/></testcase></testsuite></testsuites>",
                JunitFlavour.JUNIT4))
        .anySatisfy(v -> assertThat(v).contains("<flakyError> is not allowed here"));
    assertThat(JunitXmlRules.violations("<testsuite tests=\"1\"/>", JunitFlavour.JUNIT4))
        .anySatisfy(v -> assertThat(v).contains("required attribute name is missing"));
  }

  @Test
  void whatSurefireRefusesIsCaught() {
    assertThat(JunitXmlRules.violations(JUNIT4_OK, JunitFlavour.SUREFIRE))
        .singleElement()
        .asString()
        .contains("the root is <testsuites>");
    assertThat(
            JunitXmlRules.violations(
                "<testsuite name=\"s\" tests=\"1\" hostname=\"w\" errors=\"0\" skipped=\"0\">"
                    + "<testcase name=\"a\" time=\"1e3\"><error/><failure type=\"t\"/>"
                    + "<flakyError type=\"E\"/><system-out>o</system-out></testcase>"
                    + "<system-out>o</system-out></testsuite>",
                JunitFlavour.SUREFIRE))
        .anySatisfy(v -> assertThat(v).contains("attribute hostname is not allowed"))
        .anySatisfy(v -> assertThat(v).contains("required attribute failures is missing"))
        .anySatisfy(v -> assertThat(v).contains("not in Surefire's time format"))
        .anySatisfy(v -> assertThat(v).contains("error[0]: required attribute type is missing"))
        .anySatisfy(v -> assertThat(v).contains("<failure> is not allowed here"))
        .anySatisfy(v -> assertThat(v).contains("<system-out> is not allowed here"));
    assertThat(
            JunitXmlRules.violations(
                "<testsuite name=\"s\" tests=\"1\" errors=\"0\" skipped=\"0\" failures=\"0\">"
                    + "<testcase name=\"a\" time=\"1\"><flakyError type=\"E\"/>text</testcase>"
                    + "</testsuite>",
                JunitFlavour.SUREFIRE))
        .anySatisfy(v -> assertThat(v).contains("<stackTrace> is missing"))
        .anySatisfy(v -> assertThat(v).contains("text is not allowed here"));
    assertThat(JunitXmlRules.violations("<testsuite", JunitFlavour.SUREFIRE))
        .singleElement()
        .asString()
        .startsWith("not well-formed XML");
  }
}
