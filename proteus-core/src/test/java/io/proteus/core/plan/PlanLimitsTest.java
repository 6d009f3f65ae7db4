package io.proteus.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.PlanException;
import io.proteus.model.CacheMount;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Values in a plan that would overflow or escape later are refused where they are read. */
class PlanLimitsTest {
  final PlanReader reader = new PlanReader();

  static String withTest(String testFields) {
    return "{\"name\":\"p\",\"platforms\":[\"x\"],\"tests\":[{\"name\":\"t\",\"binary\":\"b\","
        + testFields
        + "}]}";
  }

  static String withContainer(String containerFields) {
    return withTest("\"container\":{\"image\":\"i\"," + containerFields + "}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "..",
        ".",
        "-x",
        ".hidden",
        "a/b",
        "",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
      })
  void cacheNamesThatCouldLeaveTheCacheRootAreRefusedWithTheirPlace(String name) {
    String json = withContainer("\"caches\":[{\"name\":\"" + name + "\",\"path\":\"/c\"}]");
    assertThatThrownBy(() -> reader.read(json, "tests.json"))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("tests[0].container.caches[0]")
        .satisfies(e -> assertThat(((PlanException) e).location().line()).isEqualTo(1));
  }

  @Test
  void plainCacheNamesAreKept() {
    String json = withContainer("\"caches\":[{\"name\":\"m2.repo_1-x\",\"path\":\"/c\"}]");
    assertThat(reader.read(json, "tests.json").plans().getFirst().tests().getFirst().container())
        .hasValueSatisfying(c ->
            assertThat(c.caches()).extracting(CacheMount::name).containsExactly("m2.repo_1-x"));
    assertThat(CacheMount.isValidName("a".repeat(64))).isTrue();
    assertThat(CacheMount.isValidName("a..b")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"PT100000000000000000S\"",
        "\"PT2562047788015215H\"",
        "\"P8D\"",
        "\"169h\"",
        "604801",
        "1e300",
        "-1",
        "\"PT-5S\""
      })
  void timeoutsThatCouldOverflowADeadlineAreRefused(String timeout) {
    String json = withTest("\"timeout\":" + timeout);
    assertThatThrownBy(() -> reader.read(json, "tests.json"))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("tests[0].timeout");
  }

  @Test
  void sevenDaysIsTheLongestTimeout() {
    var test = reader.read(withTest("\"timeout\":\"P7D\""), "tests.json").plans().getFirst();
    assertThat(test.tests().getFirst().timeout()).contains(Duration.ofDays(7));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"memory\":\"999999999999g\"",
        "\"memory\":1e30",
        "\"memory\":\"2048g\"",
        "\"pids\":1e30",
        "\"pids\":18446744073709551617",
        "\"pids\":2.5",
        "\"pids\":0"
      })
  void limitsThatWouldOverflowAreRefused(String field) {
    assertThatThrownBy(() -> reader.read(withContainer(field), "tests.json"))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("tests[0].container.");
  }

  @Test
  void largeButSaneLimitsAreKept() {
    var c =
        reader
            .read(withContainer("\"memory\":\"1024g\",\"pids\":4194304"), "tests.json")
            .plans()
            .getFirst()
            .tests()
            .getFirst()
            .container()
            .orElseThrow();
    assertThat(c.memoryBytes()).contains(1L << 40);
    assertThat(c.pids()).contains(4_194_304L);
  }
}
