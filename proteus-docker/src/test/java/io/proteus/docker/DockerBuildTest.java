package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.proteus.EngineException;
import io.proteus.model.ContainerRequest;
import io.proteus.spi.Engine;
import io.proteus.spi.EngineContext;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.FailureKind;
import io.proteus.testkit.RecordingOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BUILD mode: every image a Dockerfile can pull must pass the policy; builds run without a network
 * and with the task's limits, end by the task's timeout, and stop when the engine or the worker
 * closes, removing what they made. Against a real daemon.
 */
class DockerBuildTest {
  static DockerEngine engine;
  static DockerClient client;
  @TempDir Path workspace;
  final RecordingOutput sink = new RecordingOutput();

  static final ContainerRequest BUILD =
      new ContainerRequest(
          Optional.empty(),
          Optional.of("Dockerfile"),
          false,
          Optional.of(64L << 20),
          Optional.of(0.5),
          Optional.empty(),
          Optional.empty(),
          false);

  @BeforeAll
  static void docker() {
    DockerTestSupport.requireDocker();
    engine = DockerEngine.connect(policy());
    client = engine.client();
  }

  static DockerPolicy policy() {
    return DockerPolicy.builder()
        .allowImages("proteus-test/*")
        .modes(RuntimeMode.PRESENT, RuntimeMode.BUILD)
        .build();
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  ExecSpec spec(String script, Duration timeout) {
    return new ExecSpec(
        List.of("sh", "-c", script),
        workspace,
        Map.of(),
        Optional.empty(),
        timeout,
        sink,
        Optional.of(BUILD));
  }

  void dockerfile(String text) throws Exception {
    Files.writeString(workspace.resolve("Dockerfile"), text);
  }

  @Test
  void everyImageADockerfileCanPullMustBeAllowed() throws Exception {
    String base = "FROM " + DockerTestSupport.IMAGE + " AS base\n";
    for (String[] c :
        new String[][] {
          {base + "COPY --from=evil/tools:1 /x /y\n", "COPY --from evil/tools:1"},
          {base + "ADD --from=evil/add:1 /x /y\n", "ADD --from evil/add:1"},
          {base + "RUN --mount=type=bind,from=evil/m:1,target=/m true\n", "evil/m:1"},
          {base + "RUN --mount=type=cache,from=evil/c:1,target=/c true\n", "evil/c:1"},
          {"ARG BASE=evil/base:1\nFROM ${BASE}\n", "FROM evil/base:1"},
          {"ARG TAIL=x/deep\nFROM proteus-test/$TAIL\n", "FROM proteus-test/x/deep"},
          {"ARG BASE\nFROM ${BASE:-evil/default:1}\n", "FROM evil/default:1"},
          {"ARG BASE\nFROM $BASE\n", "without a default"},
          {"# syntax=evil/frontend:1\n" + base, "frontend"},
          {base + "ONBUILD COPY --from=evil/later:1 / /\n", "evil/later:1"},
        }) {
      dockerfile(c[0]);
      assertThatThrownBy(() -> engine.start(spec("true", Duration.ofSeconds(60))))
          .as(c[0])
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("refused by the Docker policy")
          .hasMessageContaining(c[1])
          .satisfies(e -> {
            assertThat(((EngineException) e).retryable()).as("retryable").isFalse();
            assertThat(((EngineException) e).kind()).isEqualTo(FailureKind.POLICY_REFUSED);
          });
    }
    dockerfile(
        "ARG BASE="
            + DockerTestSupport.IMAGE
            + "\nFROM ${BASE} AS one\nFROM one\n"
            + "COPY --from=one /bin/busybox /copied\nCOPY --from=0 /bin/busybox /copied0\n");
    ExitStatus s =
        engine
            .start(spec("ls /copied /copied0", Duration.ofMinutes(2)))
            .exit()
            .toCompletableFuture()
            .get(150, TimeUnit.SECONDS);
    assertThat(s.code()).as("output %s", sink.merged()).isZero();
  }

  @Test
  void aWorkspaceWithoutTheDockerfileIsABadBuildThatIsNotRetried() {
    assertThatThrownBy(() -> engine.start(spec("true", Duration.ofSeconds(60))))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("no Dockerfile at Dockerfile in the build")
        .satisfies(e -> {
          assertThat(((EngineException) e).retryable()).as("retryable").isFalse();
          assertThat(((EngineException) e).kind()).isEqualTo(FailureKind.BAD_BUILD);
        });
  }

  @Test
  void aBuildHasNoNetworkAndTheTasksMemoryAndCpuLimits() throws Exception {
    dockerfile(
        "FROM "
            + DockerTestSupport.IMAGE
            + "\nRUN ls /sys/class/net > /nets;"
            + " (cat /sys/fs/cgroup/memory.max || cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
            + " > /mem 2>/dev/null;"
            + " (cat /sys/fs/cgroup/cpu.max || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) > /cpu"
            + " 2>/dev/null\n");
    ExitStatus s =
        engine
            .start(spec("cat /nets /mem /cpu", Duration.ofMinutes(2)))
            .exit()
            .toCompletableFuture()
            .get(150, TimeUnit.SECONDS);
    assertThat(s.code()).as("output %s", sink.merged()).isZero();
    assertThat(sink.stdout())
        .as("output %s", sink.merged())
        .contains("lo", Long.toString(64L << 20))
        .doesNotContain("eth0")
        .anyMatch(l -> l.startsWith("50000"));
  }

  @Test
  void aBuildPastTheTasksTimeoutIsStoppedAndWhatItMadeIsRemoved() throws Exception {
    String mark = UUID.randomUUID().toString();
    dockerfile(
        "FROM "
            + DockerTestSupport.IMAGE
            + "\nRUN echo "
            + mark
            + " > /m\nRUN sleep 300 # "
            + mark
            + "\n");
    CompletableFuture<Object> started =
        CompletableFuture.supplyAsync(
            () -> engine.start(spec("true", Duration.ofSeconds(8))),
            r -> Thread.ofVirtual().start(r));
    await().atMost(Duration.ofSeconds(60)).until(() -> !containersWith(mark).isEmpty());
    assertThatThrownBy(() -> started.get(60, TimeUnit.SECONDS))
        .hasCauseInstanceOf(EngineException.class)
        .hasMessageContaining("did not finish within 8 s");
    assertThat(containersWith(mark)).isEmpty();
    assertThat(imagesWith(mark)).isEmpty();
  }

  @Test
  void closingTheWorkersEngineStopsItsBuildAndRemovesWhatItMade() throws Exception {
    String mark = UUID.randomUUID().toString();
    dockerfile(
        "FROM "
            + DockerTestSupport.IMAGE
            + "\nRUN echo "
            + mark
            + " > /m\nRUN sleep 300 # "
            + mark
            + "\n");
    DockerPlatform platform =
        new DockerPlatform("docker", engine, new DockerCaches(workspace.resolve("c"), 1 << 20));
    Engine view = platform.newEngine(new EngineContext("w1", workspace));
    CompletableFuture<Object> started =
        CompletableFuture.supplyAsync(
            () -> view.start(spec("true", Duration.ofMinutes(10))),
            r -> Thread.ofVirtual().start(r));
    await().atMost(Duration.ofSeconds(60)).until(() -> !containersWith(mark).isEmpty());
    view.close();
    assertThatThrownBy(() -> started.get(60, TimeUnit.SECONDS))
        .hasCauseInstanceOf(EngineException.class)
        .hasMessageContaining("stopped: the worker is closing");
    await().atMost(Duration.ofSeconds(30)).until(() -> containersWith(mark).isEmpty());
    assertThat(imagesWith(mark)).isEmpty();
  }

  static List<Container> containersWith(String mark) {
    return client.listContainersCmd().withShowAll(true).exec().stream()
        .filter(c -> c.getCommand() != null && c.getCommand().contains(mark))
        .toList();
  }

  static List<String> imagesWith(String mark) {
    return client.listImagesCmd().withShowAll(true).exec().stream()
        .flatMap(i -> {
          try {
            return java.util.stream.Stream.of(client.inspectImageCmd(i.getId()).exec());
          } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return java.util.stream.Stream.empty();
          }
        })
        .filter(i ->
            i.getContainerConfig() != null
                && i.getContainerConfig().getCmd() != null
                && Arrays.toString(i.getContainerConfig().getCmd()).contains(mark))
        .map(i -> i.getId())
        .toList();
  }
}
