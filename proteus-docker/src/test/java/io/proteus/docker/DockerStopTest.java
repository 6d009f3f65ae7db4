package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.spi.Exec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.testkit.RecordingOutput;
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

/**
 * A polite stop of a real container: {@code SIGTERM} as {@code docker stop} sends it, then a kill
 * once the grace is over.
 */
class DockerStopTest {
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

  Exec start(String script) {
    Exec exec =
        engine.start(
            new ExecSpec(
                List.of("sh", "-c", script),
                workspace,
                Map.of(),
                Optional.empty(),
                Duration.ofMinutes(5),
                sink));
    await().atMost(Duration.ofSeconds(60)).until(() -> sink.merged().contains("ready"));
    return exec;
  }

  static ExitStatus exit(Exec exec) throws Exception {
    return exec.exit().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @Test
  void aContainerThatTrapsSigtermCleansUpAndEndsWithinTheGrace() throws Exception {
    Exec exec =
        start("trap 'echo cleaned; exit 0' TERM\necho ready\nsleep 300 &\nwait\necho not-here\n");
    long stopped = System.nanoTime();
    exec.stop(Duration.ofSeconds(60));
    ExitStatus s = exit(exec);
    assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(30));
    assertThat(sink.merged()).contains("cleaned").doesNotContain("not-here");
    assertThat(s.code()).isZero();
    assertThat(s.aborted()).isTrue();
    assertThat(s.timedOut()).isFalse();
  }

  @Test
  void aContainerThatIgnoresSigtermIsKilledOnceTheGraceIsOver() throws Exception {
    Exec exec = start("trap '' TERM\necho ready\nwhile :; do sleep 1; done\n");
    long stopped = System.nanoTime();
    Duration grace = Duration.ofSeconds(2);
    exec.stop(grace);
    ExitStatus s = exit(exec);
    assertThat(Duration.ofNanos(System.nanoTime() - stopped))
        .isGreaterThanOrEqualTo(grace)
        .isLessThan(Duration.ofSeconds(60));
    assertThat(s.code()).isEqualTo(137);
    assertThat(s.aborted()).isTrue();
  }

  @Test
  void anAbortDuringTheGraceKillsAtOnce() throws Exception {
    Exec exec = start("trap '' TERM\necho ready\nwhile :; do sleep 1; done\n");
    exec.stop(Duration.ofMinutes(10));
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !exec.exit().toCompletableFuture().isDone());
    long aborted = System.nanoTime();
    exec.abort();
    ExitStatus s = exit(exec);
    assertThat(Duration.ofNanos(System.nanoTime() - aborted)).isLessThan(Duration.ofSeconds(60));
    assertThat(s.code()).isEqualTo(137);
    assertThat(s.aborted()).isTrue();
  }
}
