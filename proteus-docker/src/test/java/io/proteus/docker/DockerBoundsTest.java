package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.exception.NotFoundException;
import io.proteus.EngineException;
import io.proteus.core.archive.ArchiveLimits;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.testkit.RecordingOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output lines, copies out and ends of containers stay within bounds, against a real daemon. */
class DockerBoundsTest {
  static DockerEngine engine;
  @TempDir Path tmp;
  final RecordingOutput sink = new RecordingOutput();

  @BeforeAll
  static void docker() {
    DockerTestSupport.requireDocker();
    engine =
        DockerEngine.builder(DockerTestSupport.policy())
            .archiveLimits(new ArchiveLimits(100_000, 10, 200))
            .connect();
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  DockerExec start(String script, Duration timeout) throws Exception {
    return start(Files.createDirectories(tmp.resolve("ws-" + System.nanoTime())), script, timeout);
  }

  DockerExec start(Path ws, String script, Duration timeout) {
    return engine.start(
        new ExecSpec(List.of("sh", "-c", script), ws, Map.of(), Optional.empty(), timeout, sink));
  }

  @Test
  void aHugeLineWithoutNewlineIsCutWithAMarkerAndTheTaskStillPasses() throws Exception {
    ExitStatus s =
        start(
                "head -c 50000000 /dev/zero | tr '\\000' a; echo; echo after; head -c 100000 /dev/zero"
                    + " | tr '\\000' b >&2",
                Duration.ofMinutes(2))
            .exit()
            .toCompletableFuture()
            .get(150, TimeUnit.SECONDS);
    assertThat(s.code()).isZero();
    assertThat(sink.stdout()).hasSize(2);
    assertThat(sink.stdout().get(0))
        .startsWith("aaaa")
        .endsWith(
            "[proteus: line cut at 65536 bytes, " + (50_000_000 - 65_536) + " more bytes dropped]")
        .hasSizeLessThan(65_536 + 100);
    assertThat(sink.stdout().get(1)).isEqualTo("after");
    assertThat(sink.stderr().getFirst()).contains((100_000 - 65_536) + " more bytes dropped");
  }

  @Test
  void aCopyOutPastTheLimitsIsRefusedAndLeavesNothingBehind() throws Exception {
    Path ws = Files.createDirectories(tmp.resolve("ws"));
    DockerExec task =
        start(
            ws,
            "mkdir many; for i in $(seq 1 20); do echo $i > many/$i; done; sleep 60",
            Duration.ofSeconds(90));
    Path out = Files.createDirectories(tmp.resolve("out"));
    assertThatThrownBy(() -> task.archive("/bin/busybox", out.resolve("big")))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("/bin/busybox")
        .hasMessageContaining("past the limits");
    assertThat(everything(out)).containsExactly(out);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> {
          RecordingOutput r = new RecordingOutput();
          return task.exec(List.of("ls", ws + "/many"), r, Duration.ofSeconds(10)).code() == 0
              && r.stdout().size() == 20;
        });
    assertThatThrownBy(() -> task.archive(ws + "/many", out.resolve("many")))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("more than 10 entries");
    assertThat(everything(out)).containsExactly(out);
    task.archive(ws + "/many", out.resolve("few"), ArchiveLimits.DEFAULT);
    assertThat(out.resolve("few/many/20")).hasContent("20");
    task.abort();
    task.exit().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void anAbortedOrTimedOutContainerIsGoneWhenItsExitCompletes() throws Exception {
    for (Duration timeout : List.of(Duration.ofMinutes(5), Duration.ofMillis(500))) {
      DockerExec task = start("sleep 300", timeout);
      AtomicReference<Boolean> goneAtExit = new AtomicReference<>();
      CompletableFuture<ExitStatus> exit =
          task.exit()
              .toCompletableFuture()
              .whenComplete((s, e) -> goneAtExit.set(gone(task.containerId())));
      if (timeout.toMinutes() > 0) {
        task.abort();
      }
      ExitStatus s = exit.get(60, TimeUnit.SECONDS);
      assertThat(s.aborted() || s.timedOut()).isTrue();
      assertThat(goneAtExit.get()).as("container removed before the exit completed").isTrue();
    }
  }

  static boolean gone(String id) {
    try {
      engine.client().inspectContainerCmd(id).exec();
      return false;
    } catch (NotFoundException e) {
      return true;
    }
  }

  static List<Path> everything(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.toList();
    }
  }
}
