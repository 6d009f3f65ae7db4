package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.EngineException;
import io.proteus.model.ContainerRequest;
import io.proteus.model.ServiceRequest;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.OutputSink;
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

/** Further commands in a running task container, copies out of it, and sidecar services. */
class DockerExecAndServicesTest {
  static DockerEngine engine;
  @TempDir Path tmp;
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

  @Test
  void anotherCommandRunsInTheRunningContainerAndFilesCanBeCopiedOut() throws Exception {
    Path ws = Files.createDirectories(tmp.resolve("ws"));
    DockerExec task =
        engine.start(
            new ExecSpec(
                List.of("sh", "-c", "echo from-task > /tmp/state; sleep 30"),
                ws,
                Map.of(),
                Optional.empty(),
                Duration.ofSeconds(60),
                OutputSink.NONE));
    ExitStatus s =
        task.exec(
            List.of("sh", "-c", "sleep 0.3; cat /tmp/state; echo warn >&2; exit 5"),
            sink,
            Duration.ofSeconds(30));
    assertThat(s.code()).isEqualTo(5);
    assertThat(sink.stdout()).containsExactly("from-task");
    assertThat(sink.stderr()).containsExactly("warn");

    task.archive("/bin", tmp.resolve("copied"));
    assertThat(tmp.resolve("copied/bin/busybox")).isRegularFile();
    assertThat(Files.isSymbolicLink(tmp.resolve("copied/bin/sh"))).isTrue();
    task.archive("/bin/busybox", tmp.resolve("one-file"));
    assertThat(tmp.resolve("one-file/busybox")).isRegularFile();

    task.abort();
    assertThat(task.exit().toCompletableFuture().get(60, TimeUnit.SECONDS).aborted()).isTrue();
  }

  @Test
  void aServiceIsReachableByNameOnAPrivateNetworkAndGoesAwayWithTheTask() throws Exception {
    Path ws = Files.createDirectories(tmp.resolve("svc"));
    ContainerRequest request =
        ContainerRequest.image(DockerTestSupport.IMAGE)
            .withService(
                new ServiceRequest(
                    "web",
                    DockerTestSupport.IMAGE,
                    List.of("sh", "-c", "echo up > /tmp/index.html; httpd -f -p 8080 -h /tmp"),
                    Map.of()));
    ExitStatus s =
        engine
            .start(
                new ExecSpec(
                    List.of(
                        "sh",
                        "-c",
                        "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://web:8080/ && exit 0; sleep 0.5; done; exit 1"),
                    ws,
                    Map.of(),
                    Optional.empty(),
                    Duration.ofSeconds(60),
                    sink,
                    Optional.of(request)))
            .exit()
            .toCompletableFuture()
            .get(90, TimeUnit.SECONDS);
    assertThat(s.code()).as("stdout %s stderr %s", sink.stdout(), sink.stderr()).isZero();
    assertThat(sink.stdout()).contains("up");
    try (var client = DockerEngine.client(Optional.empty())) {
      assertThat(client.listNetworksCmd().exec())
          .noneMatch(n ->
              n.getName().startsWith("proteus-net-")
                  && n.getLabels() != null
                  && Long.toString(ProcessHandle.current().pid())
                      .equals(n.getLabels().get("io.proteus.pid")));
    }
  }

  @Test
  void aServiceWithADisallowedImageIsRefused() {
    ContainerRequest request =
        ContainerRequest.image(DockerTestSupport.IMAGE)
            .withService(new ServiceRequest("db", "evil/db:1", List.of(), Map.of()));
    assertThatThrownBy(() ->
            engine.start(
                new ExecSpec(
                    List.of("true"),
                    tmp,
                    Map.of(),
                    Optional.empty(),
                    Duration.ofSeconds(10),
                    sink,
                    Optional.of(request))))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("evil/db:1 is not allowed");
  }
}
