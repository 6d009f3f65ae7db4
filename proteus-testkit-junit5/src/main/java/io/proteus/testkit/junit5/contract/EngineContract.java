package io.proteus.testkit.junit5.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.EngineException;
import io.proteus.spi.Engine;
import io.proteus.spi.Exec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.testkit.RecordingOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Engine} must do, for engines that run POSIX shell commands ({@code sh -c}):
 * exit codes, both output streams apart, environment, stdin, a workspace as working directory,
 * timeouts, aborts, and a clear error for a command that cannot start.
 */
public abstract class EngineContract {
  /** The workspace each test runs in. */
  @TempDir protected Path workspace;

  private Engine engine;
  private final RecordingOutput sink = new RecordingOutput();

  /** Makes the engine under test. */
  protected abstract Engine newEngine();

  /** A program the engine cannot start, as its command's first word. */
  protected String missingProgram() {
    return "/no/such/program";
  }

  @BeforeEach
  void makeEngine() {
    engine = newEngine();
  }

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  private Exec start(
      String script, Duration timeout, Optional<byte[]> stdin, Map<String, String> env) {
    return engine.start(
        new ExecSpec(List.of("sh", "-c", script), workspace, env, stdin, timeout, sink));
  }

  private static ExitStatus await(Exec exec) throws Exception {
    return exec.exit().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void exitCodesComeBack() throws Exception {
    for (int code : new int[] {0, 1, 3, 42}) {
      assertThat(
              await(start("exit " + code, Duration.ofSeconds(30), Optional.empty(), Map.of()))
                  .code())
          .as("exit %d", code)
          .isEqualTo(code);
    }
  }

  @Test
  void stdoutAndStderrArriveApartAndInOrder() throws Exception {
    ExitStatus s =
        await(
            start(
                "echo one; echo two >&2; echo three",
                Duration.ofSeconds(30),
                Optional.empty(),
                Map.of()));
    assertThat(s.code()).isZero();
    assertThat(sink.stdout()).containsExactly("one", "three");
    assertThat(sink.stderr()).containsExactly("two");
  }

  @Test
  void environmentStdinAndWorkspaceAreGiven() throws Exception {
    ExitStatus s =
        await(
            start(
                "echo \"$PAYLOAD\"; cat; echo marker > in-workspace.txt",
                Duration.ofSeconds(30),
                Optional.of("from stdin\n".getBytes(StandardCharsets.UTF_8)),
                Map.of("PAYLOAD", "from env")));
    assertThat(s.code()).isZero();
    assertThat(sink.stdout()).containsExactly("from env", "from stdin");
    assertThat(workspace.resolve("in-workspace.txt")).exists();
  }

  @Test
  void aCommandPastItsTimeoutIsKilledAndSaysSo() throws Exception {
    ExitStatus s = await(start("sleep 300", Duration.ofMillis(500), Optional.empty(), Map.of()));
    assertThat(s.timedOut()).isTrue();
    assertThat(s.aborted()).isFalse();
    assertThat(s.code()).isNotZero();
  }

  @Test
  void abortKillsTheCommand() throws Exception {
    Exec exec = start("sleep 300", Duration.ofMinutes(5), Optional.empty(), Map.of());
    exec.abort();
    exec.abort();
    ExitStatus s = await(exec);
    assertThat(s.aborted()).isTrue();
    assertThat(s.timedOut()).isFalse();
  }

  @Test
  void aCommandThatCannotStartIsAnEngineException() {
    assertThatThrownBy(() ->
            engine.start(
                new ExecSpec(
                    List.of(missingProgram()),
                    workspace,
                    Map.of(),
                    Optional.empty(),
                    Duration.ofSeconds(5),
                    sink)))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining(missingProgram());
  }
}
