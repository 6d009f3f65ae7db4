package io.proteus.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.proteus.PlanException;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanReaderTest {
  final PlanReader reader = new PlanReader();

  static String resource(String name) throws IOException {
    try (InputStream in = PlanReaderTest.class.getResourceAsStream("/plans/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void readsTheOriginalObjectFormat() throws IOException {
    PlanDocument doc = reader.read(resource("original-object.json"), "tests.json");
    assertThat(doc.warnings()).isEmpty();
    TestPlan p = doc.plans().getFirst();
    assertThat(p.name()).isEqualTo("firmware-smoke");
    assertThat(p.build()).isEqualTo("2.4.1");
    assertThat(p.platforms()).containsExactly("nrf52", "esp32");
    assertThat(p.pool()).isEqualTo("lab");
    TestSpec boot = p.tests().getFirst();
    assertThat(boot.scenario()).contains("scenarios/boot.js");
    assertThat(boot.expectations()).containsExactly("boots", "prints-version");
    assertThat(boot.metadata()).containsEntry("port", "auto").containsKey("nested");
    assertThat(((Number) boot.metadata().get("baud")).intValue()).isEqualTo(115200);
  }

  @Test
  void readsAnArrayWithTheExtensions() throws IOException {
    PlanDocument doc = reader.read(resource("original-array.json"), "tests.json");
    assertThat(doc.plans()).hasSize(2);
    TestSpec db = doc.plans().get(1).tests().getFirst();
    assertThat(db.timeout()).contains(Duration.ofSeconds(90));
    assertThat(db.tags()).isEqualTo(Set.of("postgres"));
    assertThat(db.resources()).isEqualTo(Set.of("db-1"));
    assertThat(db.environment()).isEqualTo(Map.of("DB_URL", "postgres://localhost/x"));
    assertThat(db.arguments()).containsExactly("--fast");
    assertThat(db.topic()).contains("db");
    assertThat(doc.plans().get(1).topic()).contains("ruby");
    assertThat(doc.plans().getFirst().tests().getFirst().scenario()).isEqualTo(Optional.empty());
  }

  @Test
  void readsAContainerRequest() {
    String json =
        "{\"name\":\"p\",\"platforms\":[\"x\"],\"tests\":[{\"name\":\"t\",\"binary\":\"b\",\"container\":"
            + "{\"image\":\"busybox:1\",\"network\":true,\"memory\":\"256m\",\"cpus\":0.5,\"pids\":64,\"user\":\"1000\"}}]}";
    var c =
        reader
            .read(json, "tests.json")
            .plans()
            .getFirst()
            .tests()
            .getFirst()
            .container()
            .orElseThrow();
    assertThat(c.image()).contains("busybox:1");
    assertThat(c.network()).isTrue();
    assertThat(c.memoryBytes()).contains(256L << 20);
    assertThat(c.cpus()).contains(0.5);
    assertThat(c.pids()).contains(64L);
    assertThat(c.user()).contains("1000");
    assertThat(c.privileged()).isFalse();
    String both =
        "{\"name\":\"p\",\"platforms\":[\"x\"],\"tests\":[{\"name\":\"t\",\"binary\":\"b\",\"container\":"
            + "{\"image\":\"a\",\"dockerfile\":\"Dockerfile\"}}]}";
    assertThatThrownBy(() -> reader.read(both, "tests.json"))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("not both");
    String tiny =
        "{\"name\":\"p\",\"platforms\":[\"x\"],\"tests\":[{\"name\":\"t\",\"binary\":\"b\",\"container\":{\"memory\":\"99999999999999999999k\"}}]}";
    assertThatThrownBy(() -> reader.read(tiny, "tests.json"))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("container.memory");
  }

  @Test
  void unknownFieldsAreReportedWithTheirPlace() {
    PlanDocument doc =
        reader.read(
            "{\"name\":\"p\",\"platforms\":[\"x\"],\"colour\":\"red\",\n\"tests\":[{\"name\":\"t\",\"binary\":\"b\",\"flaky\":true}]}",
            "tests.json");
    assertThat(doc.warnings())
        .extracting(PlanWarning::field)
        .containsExactly("colour", "tests[0].flaky");
    assertThat(doc.warnings().get(1).location().line()).isEqualTo(2);
  }

  @Test
  void aWrongTypeNamesFileLineColumnAndField() {
    String json = "{\n  \"name\": \"p\",\n  \"platforms\": \"linux\",\n  \"tests\": []\n}";
    assertThatThrownBy(() -> reader.read(json, "build-7/tests.json"))
        .isInstanceOf(PlanException.class)
        .hasMessageStartingWith(
            "build-7/tests.json:3:16: platforms: expected an array of strings, found a string")
        .satisfies(e -> assertThat(((PlanException) e).field()).isEqualTo("platforms"));
  }

  @Test
  void aMissingRequiredFieldIsNamed() {
    String json = "{\"name\":\"p\",\"platforms\":[\"x\"],\"tests\":[{\"name\":\"t\"}]}";
    assertThatThrownBy(() -> reader.read(json, "tests.json"))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("tests[0].binary: required field is missing");
  }

  @Test
  void pathsMustStayInsideTheBuild() {
    String json =
        "{\"name\":\"p\",\"platforms\":[\"x\"],\"tests\":[{\"name\":\"t\",\"binary\":\"../../etc/passwd\"}]}";
    assertThatThrownBy(() -> reader.read(json, "tests.json"))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("tests[0].binary");
    String abs =
        "{\"name\":\"p\",\"platforms\":[\"x\"],\"tests\":[{\"name\":\"t\",\"binary\":\"/bin/sh\"}]}";
    assertThatThrownBy(() -> reader.read(abs, "tests.json"))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("relative");
  }

  @Test
  void duplicateTestNamesAreRefused() {
    String json =
        "{\"name\":\"p\",\"platforms\":[\"x\"],\"tests\":[{\"name\":\"t\",\"binary\":\"b\"},{\"name\":\"t\",\"binary\":\"b\"}]}";
    assertThatThrownBy(() -> reader.read(json, "tests.json"))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("already named 't'");
  }

  @Test
  void badJsonIsLocated() {
    assertThatThrownBy(
            () -> reader.read("{\"name\": \"p\",\n  \"platforms\": [\"x\",]}", "tests.json"))
        .isInstanceOf(PlanException.class)
        .satisfies(e -> assertThat(((PlanException) e).location().line()).isEqualTo(2));
  }

  /** Seeded random mutations of good plans only ever give a plan or a located PlanException. */
  @Test
  void malformedPlansOnlyEverFailWithALocatedPlanException() throws IOException {
    List<String> seeds = List.of(resource("original-object.json"), resource("original-array.json"));
    String[] junk = {
      "{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e999", "-", "\\", "\u0000", "\"x\"",
      "{}", "[]", "0"
    };
    Random random = new Random(20261123L);
    int errors = 0;
    for (int i = 0; i < 3000; i++) {
      StringBuilder s = new StringBuilder(seeds.get(i % seeds.size()));
      int edits = 1 + random.nextInt(4);
      for (int e = 0; e < edits && s.length() > 0; e++) {
        int at = random.nextInt(s.length());
        switch (random.nextInt(5)) {
          case 0 -> s.deleteCharAt(at);
          case 1 -> s.insert(at, junk[random.nextInt(junk.length)]);
          case 2 -> s.setLength(at);
          case 3 -> s.setCharAt(at, (char) (32 + random.nextInt(95)));
          default -> {
            int end = Math.min(s.length(), at + 1 + random.nextInt(20));
            s.replace(at, end, junk[random.nextInt(junk.length)]);
          }
        }
      }
      String text = s.toString();
      String name = "mutant-" + i + ".json";
      Throwable t = catchThrowable(() -> reader.read(text, name));
      if (t != null) {
        errors++;
        assertThat(t).as("mutant %d: %s", i, s).isInstanceOf(PlanException.class);
        PlanException pe = (PlanException) t;
        assertThat(pe.location().file()).isEqualTo("mutant-" + i + ".json");
        assertThat(pe.location().line()).isPositive();
        assertThat(pe.location().column()).isPositive();
        assertThat(pe.getMessage())
            .startsWith("mutant-" + i + ".json:" + pe.location().line() + ":");
      }
    }
    assertThat(errors).isGreaterThan(1000);
  }
}
