package io.proteus.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValueBuildersTest {
  static final CacheMount GRADLE = new CacheMount("gradle", "/root/.gradle", false);
  static final ServiceRequest DB = ServiceRequest.builder("db", "postgres:16").build();

  static ContainerRequest full() {
    return ContainerRequest.builder()
        .image("busybox:1")
        .network(false)
        .memoryBytes(64L << 20)
        .cpus(1.5)
        .pids(32)
        .user("1000")
        .addCache(GRADLE)
        .addService(DB)
        .build();
  }

  @Test
  void withMemoryAndWithNetworkKeepCachesAndServices() {
    ContainerRequest base = full();
    ContainerRequest more = base.withMemory(128L << 20);
    assertThat(more.memoryBytes()).contains(128L << 20);
    assertThat(more.caches()).containsExactly(GRADLE);
    assertThat(more.services()).containsExactly(DB);
    assertThat(more.toBuilder().memoryBytes(64L << 20).build()).isEqualTo(base);
    ContainerRequest online = base.withNetwork(true);
    assertThat(online.network()).isTrue();
    assertThat(online.caches()).containsExactly(GRADLE);
    assertThat(online.services()).containsExactly(DB);
    assertThat(online.withNetwork(false)).isEqualTo(base);
  }

  @Test
  void toBuilderGivesBackAnEqualValue() {
    ContainerRequest c = full();
    assertThat(c.toBuilder().build()).isEqualTo(c);
    TestSpec t =
        TestSpec.builder("boot", "bin/fw")
            .scenario("s/boot.js")
            .expectations(List.of("boots"))
            .metadata(Map.of("port", "auto"))
            .timeout(Duration.ofSeconds(30))
            .tags(Set.of("usb"))
            .resources(Set.of("board-1"))
            .environment(Map.of("A", "1"))
            .arguments(List.of("--fast"))
            .topic("fw")
            .container(c)
            .build();
    assertThat(t.toBuilder().build()).isEqualTo(t);
    assertThat(t.scenario()).contains("s/boot.js");
    assertThat(t.container()).contains(c);
    TestPlan p = TestPlan.builder("smoke").platforms("x", "y").addTest(t).build();
    assertThat(p.build()).isEqualTo(TestPlan.UNKNOWN_BUILD);
    assertThat(p.pool()).isEqualTo(TestPlan.DEFAULT_POOL);
    assertThat(p.toBuilder().build()).isEqualTo(p);
    assertThat(DB.toBuilder().build()).isEqualTo(DB);
  }

  @Test
  void aBuilderStartsEmptyLikeTheShortFactory() {
    assertThat(TestSpec.builder("t", "b").build())
        .isEqualTo(TestSpec.of("t", "b", Optional.empty(), List.of()));
    assertThat(ContainerRequest.builder().build()).isEqualTo(ContainerRequest.defaults());
  }

  @Test
  void withersKeepEveryOtherField() {
    TestSpec t =
        TestSpec.builder("t", "b").topic("x").arguments(List.of("-v")).container(full()).build();
    TestSpec timed = t.withTimeout(Duration.ofSeconds(5));
    assertThat(timed.toBuilder().timeout(Optional.empty()).build()).isEqualTo(t);
    TestSpec tagged = t.withTagsAndResources(Set.of("a"), Set.of("r"));
    assertThat(tagged.toBuilder().tags(Set.of()).resources(Set.of()).build()).isEqualTo(t);
  }

  @Test
  void buildRefusesValuesThatCannotRun() {
    assertThatThrownBy(() -> TestSpec.builder(" ", "b").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
    assertThatThrownBy(() -> TestSpec.builder("t", "").build())
        .hasMessageContaining("'t' needs a binary");
    assertThatThrownBy(() -> TestSpec.builder("t", "b").timeout(Duration.ZERO).build())
        .hasMessageContaining("not positive");
    assertThatThrownBy(() -> ContainerRequest.builder().image("a").dockerfile("D").build())
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> ContainerRequest.builder().memoryBytes(0).build())
        .hasMessageContaining("memory");
    assertThatThrownBy(() -> ContainerRequest.builder().cpus(Double.NaN).build())
        .hasMessageContaining("CPU");
    assertThatThrownBy(() -> ContainerRequest.builder().pids(0).build())
        .hasMessageContaining("process");
    assertThatThrownBy(() -> ContainerRequest.builder().addService(DB).addService(DB).build())
        .hasMessageContaining("two services are named 'db'");
    assertThatThrownBy(() -> ServiceRequest.builder("db", " ").build())
        .hasMessageContaining("needs an image");
    TestSpec t = TestSpec.builder("t", "b").build();
    assertThatThrownBy(() -> TestPlan.builder("p").addTest(t).build())
        .hasMessageContaining("platform");
    assertThatThrownBy(() -> TestPlan.builder("p").platforms("x", "x").addTest(t).build())
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> TestPlan.builder("p").platforms("x").build())
        .hasMessageContaining("at least one test");
    assertThatThrownBy(() -> TestPlan.builder("p").platforms("x").addTest(t).addTest(t).build())
        .hasMessageContaining("two tests named 't'");
  }
}
