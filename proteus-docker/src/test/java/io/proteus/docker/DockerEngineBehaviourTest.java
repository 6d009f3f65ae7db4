package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.EngineException;
import io.proteus.model.ContainerRequest;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.testkit.RecordingOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Timeouts, memory limits, hardening and policy refusals, against a real daemon. */
class DockerEngineBehaviourTest {
  static DockerEngine engine;
  @TempDir Path workspace;
  final RecordingOutput sink = new RecordingOutput();

  @BeforeAll
  static void docker() {
    DockerTestSupport.requireDocker();
    engine = DockerEngine.connect(DockerTestSupport.policy());
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  ExitStatus run(
      DockerEngine e, String script, Duration timeout, Optional<ContainerRequest> request)
      throws Exception {
    return e.start(
            new ExecSpec(
                List.of("sh", "-c", script),
                workspace,
                Map.of(),
                Optional.empty(),
                timeout,
                sink,
                request))
        .exit()
        .toCompletableFuture()
        .get(120, TimeUnit.SECONDS);
  }

  ExitStatus run(String script, Optional<ContainerRequest> request) throws Exception {
    return run(engine, script, Duration.ofSeconds(60), request);
  }

  @Test
  void theContainerIsLabelledWithTheSpecsTaskNotWithAnEnvironmentVariable() throws Exception {
    var task = new io.proteus.model.TaskId(new io.proteus.model.JobId("job-a"), 3);
    var exec =
        engine.start(
            new ExecSpec(
                    List.of("sleep", "30"),
                    workspace,
                    Map.of("PROTEUS_TASK_ID", "forged/9"),
                    Optional.empty(),
                    Duration.ofSeconds(60),
                    sink)
                .forTask(task));
    try (var client = DockerEngine.client(Optional.empty())) {
      var mine =
          client
              .listContainersCmd()
              .withLabelFilter(Map.of(io.proteus.docker.internal.Labels.TASK, "job-a/3"))
              .exec();
      var forged =
          client
              .listContainersCmd()
              .withLabelFilter(Map.of(io.proteus.docker.internal.Labels.TASK, "forged/9"))
              .exec();
      assertThat(mine).hasSize(1);
      assertThat(forged).isEmpty();
    } finally {
      exec.abort();
      exec.exit().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void aContainerPastItsTimeoutIsKilledAndReportedAsATimeout() throws Exception {
    ExitStatus s = run(engine, "sleep 300", Duration.ofSeconds(1), Optional.empty());
    assertThat(s.timedOut()).isTrue();
    assertThat(s.code()).isEqualTo(137);
  }

  @Test
  void aContainerPastItsMemoryLimitIsReportedOutOfMemory() throws Exception {
    ExitStatus s =
        run(
            "x=$(head -c 134217728 /dev/zero | tr '\\000' 'a'); echo survived",
            Optional.of(ContainerRequest.image(DockerTestSupport.IMAGE).withMemory(16L << 20)));
    assertThat(s.outOfMemory()).as("out of memory, output %s", sink.merged()).isTrue();
    assertThat(sink.merged()).doesNotContain("survived");
  }

  @Test
  void containersAreHardenedByDefault() throws Exception {
    ExitStatus s =
        run(
            "grep CapEff /proc/self/status; ls /sys/class/net; touch /etc/x 2>/dev/null && echo root-writable;"
                + " touch /tmp/t && echo tmp-writable; touch ./w && echo workspace-writable; grep NoNewPrivs /proc/self/status",
            Optional.empty());
    assertThat(s.code()).isZero();
    assertThat(sink.merged())
        .contains(
            "CapEff:\t0000000000000000",
            "lo",
            "tmp-writable",
            "workspace-writable",
            "NoNewPrivs:\t1")
        .doesNotContain("root-writable", "eth0");
    assertThat(workspace.resolve("w")).exists();
  }

  @Test
  void aTaskCanRunAsANonRootUserWithAWritableWorkspace() throws Exception {
    ContainerRequest asUser =
        new ContainerRequest(
            Optional.of(DockerTestSupport.IMAGE),
            Optional.empty(),
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of("1000:1000"),
            false);
    ExitStatus s = run("id -u; touch ./by-user && echo wrote", Optional.of(asUser));
    assertThat(s.code()).isZero();
    assertThat(sink.merged()).containsExactly("1000", "wrote");
  }

  @Test
  void cpuAndProcessLimitsReachTheContainersCgroup() throws Exception {
    ContainerRequest limited =
        new ContainerRequest(
            Optional.of(DockerTestSupport.IMAGE),
            Optional.empty(),
            false,
            Optional.empty(),
            Optional.of(0.5),
            Optional.of(20L),
            Optional.empty(),
            false);
    ExitStatus s =
        run(
            "cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us;"
                + " cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max",
            Optional.of(limited));
    assertThat(s.code()).isZero();
    assertThat(sink.merged())
        .as("output %s", sink.merged())
        .anyMatch(l -> l.startsWith("50000"))
        .contains("20");
  }

  @Test
  void noDaemonIsAClearError() {
    assertThatThrownBy(() ->
            DockerEngine.connect(
                DockerTestSupport.policy(), Optional.of("unix:///nonexistent/docker.sock")))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("no Docker daemon answers at unix:///nonexistent/docker.sock");
  }

  @Test
  void aDisallowedImageIsRefusedBeforeAnythingStarts() {
    assertThatThrownBy(() -> run("true", Optional.of(ContainerRequest.image("evil/miner:latest"))))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("refused")
        .hasMessageContaining("evil/miner:latest is not allowed")
        .hasMessageContaining("proteus-test/*");
  }

  @Test
  void aPrivilegedRequestIsRefused() {
    assertThatThrownBy(() ->
            run(
                "true",
                Optional.of(ContainerRequest.image(DockerTestSupport.IMAGE).asPrivileged())))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("privileged mode is never allowed");
  }

  @Test
  void aNetworkOrLimitsAbovePolicyAreRefused() {
    assertThatThrownBy(() ->
            run(
                "true",
                Optional.of(ContainerRequest.image(DockerTestSupport.IMAGE).withNetwork(true))))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("network");
    assertThatThrownBy(() ->
            run(
                "true",
                Optional.of(ContainerRequest.image(DockerTestSupport.IMAGE).withMemory(64L << 30))))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("memory");
  }

  @Test
  void aNetworkIsGivenWhenAskedAndAllowed() throws Exception {
    DockerEngine open =
        DockerEngine.connect(
            DockerPolicy.builder()
                .allowImages("proteus-test/*")
                .defaultImage(DockerTestSupport.IMAGE)
                .allowNetwork(true)
                .build());
    ExitStatus s =
        run(
            open,
            "ls /sys/class/net",
            Duration.ofSeconds(60),
            Optional.of(ContainerRequest.image(DockerTestSupport.IMAGE).withNetwork(true)));
    assertThat(s.code()).isZero();
    assertThat(sink.merged()).contains("eth0");
  }

  @Test
  void aPinnedDigestMustMatch() throws Exception {
    String id;
    try (var client = DockerEngine.client(Optional.empty())) {
      id = client.inspectImageCmd(DockerTestSupport.IMAGE).exec().getId();
    }
    DockerEngine pinned =
        DockerEngine.connect(
            DockerPolicy.builder()
                .allowImages("proteus-test/busybox@" + id)
                .defaultImage(DockerTestSupport.IMAGE)
                .build());
    assertThat(run(pinned, "true", Duration.ofSeconds(60), Optional.empty()).code()).isZero();
    DockerEngine wrong =
        DockerEngine.connect(
            DockerPolicy.builder()
                .allowImages("proteus-test/busybox@sha256:" + "0".repeat(64))
                .defaultImage(DockerTestSupport.IMAGE)
                .build());
    assertThatThrownBy(() -> run(wrong, "true", Duration.ofSeconds(60), Optional.empty()))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("does not match the digest");
  }

  @Test
  void anImageIsBuiltFromTheBuildsDockerfileWhenThePolicyAllows() throws Exception {
    Files.writeString(
        workspace.resolve("Dockerfile"),
        "FROM " + DockerTestSupport.IMAGE + "\nRUN echo built > /built.txt\n");
    ContainerRequest build =
        new ContainerRequest(
            Optional.empty(),
            Optional.of("Dockerfile"),
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false);
    assertThatThrownBy(() -> run("cat /built.txt", Optional.of(build)))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("BUILD");
    DockerEngine builder =
        DockerEngine.connect(
            DockerPolicy.builder()
                .allowImages("proteus-test/*")
                .modes(RuntimeMode.PRESENT, RuntimeMode.BUILD)
                .build());
    long builtBefore = builtImages();
    ExitStatus s = run(builder, "cat /built.txt", Duration.ofSeconds(120), Optional.of(build));
    assertThat(s.code()).isZero();
    assertThat(sink.merged()).contains("built");
    assertThat(builtImages()).as("the built image is removed with its task").isEqualTo(builtBefore);
    Files.writeString(workspace.resolve("Dockerfile"), "FROM evil/base:1\n");
    assertThatThrownBy(() -> run(builder, "true", Duration.ofSeconds(60), Optional.of(build)))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("FROM evil/base:1");
  }

  static long builtImages() {
    try (var client = DockerEngine.client(Optional.empty())) {
      return client.listImagesCmd().exec().stream()
          .filter(i ->
              i.getRepoTags() != null
                  && java.util.Arrays.stream(i.getRepoTags())
                      .anyMatch(t -> t.startsWith("proteus-build/")))
          .count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void anImageMissingFromTheDaemonIsAClearErrorWhenPullsAreNotAllowed() {
    assertThatThrownBy(
            () -> run("true", Optional.of(ContainerRequest.image("proteus-test/absent:9"))))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("not on the Docker daemon");
  }
}
