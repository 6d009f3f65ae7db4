package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.EngineException;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.OutputSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon that fails (500, conflict, gone) never makes the engine throw anything but an {@link
 * EngineException}; an exit always completes, and after an abort or a timeout only once the
 * container is dead. Runs against a fake daemon on loopback; no Docker needed.
 */
class DockerEngineFailureTest {
  @TempDir Path workspace;
  FakeDaemon daemon;
  DockerEngine engine;

  @BeforeEach
  void connect() throws Exception {
    daemon = new FakeDaemon();
    engine =
        DockerEngine.builder(DockerTestSupport.policy())
            .dockerHost(Optional.of(daemon.host()))
            .killTimeout(Duration.ofSeconds(3))
            .callTimeout(Duration.ofSeconds(10))
            .connect();
  }

  @AfterEach
  void close() {
    daemon.close();
    engine.close();
  }

  DockerExec start(Duration timeout) {
    return engine.start(
        new ExecSpec(
            List.of("sleep", "600"),
            workspace,
            Map.of(),
            Optional.empty(),
            timeout,
            OutputSink.NONE));
  }

  @Test
  void aDaemonThatAnswers500IsAnEngineException() {
    daemon.imageInspectStatus.set(500);
    assertThatThrownBy(() -> start(Duration.ofMinutes(1)))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining(DockerTestSupport.IMAGE)
        .hasMessageContaining("500");
  }

  @Test
  void aConflictOnCreateIsAnEngineException() {
    daemon.createStatus.set(409);
    assertThatThrownBy(() -> start(Duration.ofMinutes(1)))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("cannot create a container");
  }

  @Test
  void aDaemonThatIsGoneIsAnEngineException() {
    daemon.stop();
    assertThatThrownBy(() -> start(Duration.ofMinutes(1)))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining(daemon.host().replace("tcp://", ""));
  }

  @Test
  void anAbortedContainerEndsOnlyOnceItIsDeadEvenWhenKillsFailAtFirst() throws Exception {
    DockerExec exec = start(Duration.ofMinutes(5));
    daemon.killFailures.set(3);
    daemon.removeFailures.set(2);
    AtomicBoolean deadAtExit = new AtomicBoolean();
    CompletableFuture<ExitStatus> exit =
        exec.exit()
            .toCompletableFuture()
            .whenComplete((s, e) -> deadAtExit.set(daemon.dead.get() && daemon.removed.get()));
    exec.abort();
    ExitStatus s = exit.get(30, TimeUnit.SECONDS);
    assertThat(s.aborted()).isTrue();
    assertThat(deadAtExit)
        .as("the container was dead and removed when the exit completed")
        .isTrue();
  }

  @Test
  void aTimedOutContainerEndsOnlyOnceItIsDead() throws Exception {
    daemon.killFailures.set(2);
    DockerExec exec = start(Duration.ofMillis(300));
    AtomicBoolean deadAtExit = new AtomicBoolean();
    CompletableFuture<ExitStatus> exit =
        exec.exit().toCompletableFuture().whenComplete((s, e) -> deadAtExit.set(daemon.dead.get()));
    ExitStatus s = exit.get(30, TimeUnit.SECONDS);
    assertThat(s.timedOut()).isTrue();
    assertThat(deadAtExit).isTrue();
  }

  @Test
  void whenTheDaemonGoesAwayMidRunTheExitStillCompletesAndAbortNeverThrows() throws Exception {
    DockerExec exec = start(Duration.ofMinutes(5));
    daemon.stop();
    assertThatCode(exec::abort).doesNotThrowAnyException();
    ExitStatus s = exec.exit().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertThat(s.aborted()).isTrue();
    assertThat(s.code()).isEqualTo(137);
  }

  @Test
  void aWaitThatBreaksIsRetriedThroughKillAndInspect() throws Exception {
    daemon.waitFails.set(true);
    DockerExec exec = start(Duration.ofMinutes(5));
    ExitStatus s = exec.exit().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(daemon.dead).isTrue();
    assertThat(s.code()).isEqualTo(137);
  }
}
