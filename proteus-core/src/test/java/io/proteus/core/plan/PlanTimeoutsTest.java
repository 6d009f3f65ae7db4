package io.proteus.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.PlanException;
import io.proteus.model.TestSpec;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The queue, no-output and cancel-grace settings of a test: units, ranges and errors. */
class PlanTimeoutsTest {
  final PlanReader reader = new PlanReader();

  private TestSpec test(String fields) {
    return reader
        .read(PlanLimitsTest.withTest(fields), "tests.json")
        .plans()
        .getFirst()
        .tests()
        .getFirst();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "90            | PT1M30S",
        "1.5           | PT1.5S",
        "'\"250ms\"'   | PT0.25S",
        "'\"45s\"'     | PT45S",
        "'\"5m\"'      | PT5M",
        "'\"2h\"'      | PT2H",
        "'\"PT10M\"'   | PT10M",
        "'\"P7D\"'     | PT168H"
      })
  void theTwoTimeoutsTakeSecondsOrUnits(String value, Duration expected) {
    TestSpec t = test("\"queue_timeout\":" + value + ",\"no_output_timeout\":" + value);
    assertThat(t.queueTimeout()).contains(expected);
    assertThat(t.noOutputTimeout()).contains(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0 | PT0S",
        "'\"0s\"' | PT0S",
        "10 | PT10S",
        "'\"1h\"' | PT1H",
        "'\"2.5s\"' | PT2.5S"
      })
  void theGraceMayBeZeroAndAtMostAnHour(String value, Duration expected) {
    assertThat(test("\"cancel_grace\":" + value).cancelGrace()).contains(expected);
  }

  @Test
  void absentFieldsLeaveTheCoreDefaults() {
    TestSpec t = test("\"timeout\":5");
    assertThat(t.queueTimeout()).isEmpty();
    assertThat(t.noOutputTimeout()).isEmpty();
    assertThat(t.cancelGrace()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "queue_timeout     | 0          | queue_timeout: timeout must be positive",
        "queue_timeout     | -3         | queue_timeout: timeout must be positive",
        "queue_timeout     | '\"P8D\"'  | queue_timeout: timeout out of range: the most is 7 days",
        "queue_timeout     | 1e300      | queue_timeout: timeout out of range: the most is 7 days",
        "no_output_timeout | '\"0ms\"'  | no_output_timeout: timeout must be positive",
        "no_output_timeout | 604801     | no_output_timeout: timeout out of range: the most is 7 days",
        "no_output_timeout | '\"soon\"' | no_output_timeout: expected seconds or a duration",
        "no_output_timeout | true       | no_output_timeout: expected a number",
        "cancel_grace      | -1         | cancel_grace: grace must not be negative",
        "cancel_grace      | '\"PT-1S\"'| cancel_grace: grace must not be negative",
        "cancel_grace      | 3601       | cancel_grace: grace out of range: the most is 1 hour",
        "cancel_grace      | '\"2h\"'   | cancel_grace: grace out of range: the most is 1 hour",
        "cancel_grace      | '[1]'      | cancel_grace: expected a number"
      })
  void badValuesAreRefusedWithTheirPlace(String field, String value, String message) {
    String json = PlanLimitsTest.withTest("\"" + field + "\":" + value);
    int column = json.indexOf("\"" + field + "\":") + field.length() + 4;
    assertThatThrownBy(() -> reader.read(json, "tests.json"))
        .isInstanceOf(PlanException.class)
        .hasMessageStartingWith("tests.json:1:" + column + ": tests[0]." + message)
        .satisfies(e -> assertThat(((PlanException) e).field()).isEqualTo("tests[0]." + field));
  }

  @ParameterizedTest
  @ValueSource(strings = {"queue_timeout", "no_output_timeout", "cancel_grace"})
  void aFieldGivenTwiceIsRefused(String field) {
    String json = PlanLimitsTest.withTest("\"" + field + "\":5,\"" + field + "\":6");
    assertThatThrownBy(() -> reader.read(json, "tests.json"))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("tests[0]")
        .hasMessageContaining(field);
  }

  @Test
  void eachTestKeepsItsOwnSettings() {
    String json =
        "{\"name\":\"p\",\"platforms\":[\"x\"],\"tests\":["
            + "{\"name\":\"a\",\"binary\":\"b\",\"queue_timeout\":\"1m\",\"cancel_grace\":3},"
            + "{\"name\":\"c\",\"binary\":\"b\",\"no_output_timeout\":\"30s\"}]}";
    var tests = reader.read(json, "tests.json").plans().getFirst().tests();
    assertThat(tests.get(0).queueTimeout()).contains(Duration.ofMinutes(1));
    assertThat(tests.get(0).cancelGrace()).contains(Duration.ofSeconds(3));
    assertThat(tests.get(0).noOutputTimeout()).isEmpty();
    assertThat(tests.get(1).noOutputTimeout()).contains(Duration.ofSeconds(30));
    assertThat(tests.get(1).queueTimeout()).isEqualTo(Optional.empty());
  }

  @Test
  void theBuilderRefusesWhatThePlanReaderRefuses() {
    TestSpec.Builder b = TestSpec.builder("t", "b");
    assertThatThrownBy(() -> b.queueTimeout(Optional.of(Duration.ZERO)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("queue timeout");
    b.queueTimeout(Optional.empty());
    assertThatThrownBy(() -> b.noOutputTimeout(Optional.of(Duration.ofSeconds(-1))).build())
        .hasMessageContaining("no-output timeout");
    b.noOutputTimeout(Optional.empty());
    assertThatThrownBy(() -> b.cancelGrace(Optional.of(Duration.ofSeconds(-1))).build())
        .hasMessageContaining("negative cancel grace");
    assertThat(b.cancelGrace(Optional.of(Duration.ZERO)).build().cancelGrace())
        .contains(Duration.ZERO);
    TestSpec full =
        b.queueTimeout(Optional.of(Duration.ofMinutes(2)))
            .noOutputTimeout(Optional.of(Duration.ofSeconds(9)))
            .build();
    assertThat(full.toBuilder().build()).isEqualTo(full);
  }
}
