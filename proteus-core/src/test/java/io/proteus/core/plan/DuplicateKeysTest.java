package io.proteus.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.proteus.PlanException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A key given twice in one object is refused with its place, at every level of a plan. */
class DuplicateKeysTest {
  private final PlanReader reader = new PlanReader();

  private static final String TEST = "{\"name\":\"t\",\"binary\":\"b\"%s}";

  private static String plan(String planExtra, String testExtra) {
    return "{\"name\":\"p\",\"platforms\":[\"x\"]"
        + planExtra
        + ",\n\"tests\":["
        + String.format(TEST, testExtra)
        + "]}";
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "plan name         | ,\"name\":\"q\"                                          | ''                                                           | name",
        "test binary       | ''                                                       | ,\"binary\":\"c\"                                            | tests[0].binary",
        "metadata key      | ''                                                       | ,\"metadata\":{\"k\":1,\"k\":2}                            | tests[0].metadata.k",
        "nested metadata   | ''                                                       | ,\"metadata\":{\"a\":{\"k\":1,\"k\":2}}                    | tests[0].metadata.a.k",
        "environment       | ''                                                       | ,\"environment\":{\"A\":\"1\",\"A\":\"2\"}                 | tests[0].environment.A",
        "container image   | ''                                                       | ,\"container\":{\"image\":\"a\",\"image\":\"b\"}           | tests[0].container.image",
        "cache name        | ''                                                       | ,\"container\":{\"caches\":[{\"name\":\"a\",\"name\":\"b\",\"path\":\"/c\"}]} | tests[0].container.caches[0].name",
        "service env       | ''                                                       | ,\"container\":{\"services\":[{\"name\":\"db\",\"image\":\"i\",\"environment\":{\"X\":\"1\",\"X\":\"2\"}}]} | tests[0].container.services[0].environment.X",
      })
  void aKeyGivenTwiceIsRefusedWithItsPlace(
      String what, String planExtra, String testExtra, String field) {
    PlanException e =
        catchThrowableOfType(
            PlanException.class, () -> reader.read(plan(planExtra, testExtra), "tests.json"));
    assertThat(e).as(what).isNotNull();
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.getMessage()).startsWith("tests.json:").contains("appears twice");
    assertThat(e.location().line()).isEqualTo(planExtra.isEmpty() ? 2 : 1);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"a\":1}|{\"b\":1}",
        "{\"k\":{\"k\":1}}|{\"x\":[{\"k\":1},{\"k\":2}]}",
      })
  void theSameKeyInDifferentObjectsIsFine(String first, String second) {
    PlanDocument doc =
        reader.read(
            plan("", ",\"metadata\":{\"one\":" + first + ",\"two\":" + second + "}"), "tests.json");
    assertThat(doc.plans().getFirst().tests().getFirst().metadata()).containsKeys("one", "two");
  }

  @org.junit.jupiter.api.Test
  void twoServicesWithOneNameAreRefusedWithTheContainersPlace() {
    PlanException e =
        catchThrowableOfType(
            PlanException.class,
            () ->
                reader.read(
                    plan(
                        "",
                        ",\"container\":{\"services\":[{\"name\":\"db\",\"image\":\"a\"},"
                            + "{\"name\":\"db\",\"image\":\"b\"}]}"),
                    "tests.json"));
    assertThat(e).isNotNull();
    assertThat(e.field()).isEqualTo("tests[0].container");
    assertThat(e.getMessage()).contains("two services are named 'db'");
  }
}
