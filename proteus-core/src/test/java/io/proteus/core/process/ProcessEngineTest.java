package io.proteus.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.EngineException;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.OutputSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessEngineTest {
  @TempDir Path ws;
  final ProcessEngine engine = new ProcessEngine();
  final List<String> out = new CopyOnWriteArrayList<>();
  final List<String> err = new CopyOnWriteArrayList<>();
  final OutputSink sink =
      new OutputSink() {
        @Override
        public void stdout(String line) {
          out.add(line);
        }

        @Override
        public void stderr(String line) {
          err.add(line);
        }
      };

  ExitStatus run(String script, Duration timeout, Optional<byte[]> stdin) throws Exception {
    return engine
        .start(
            new ExecSpec(
                List.of("sh", "-c", script), ws, Map.of("GREETING", "hi"), stdin, timeout, sink))
        .exit()
        .toCompletableFuture()
        .get();
  }

  @Test
  void capturesBothStreamsApartAndTheExitCode() throws Exception {
    ExitStatus s =
        run(
            "echo \"$GREETING\"; echo oops >&2; pwd; exit 3",
            Duration.ofSeconds(20),
            Optional.empty());
    assertThat(s.code()).isEqualTo(3);
    assertThat(s.timedOut()).isFalse();
    assertThat(out).containsExactly("hi", ws.toRealPath().toString());
    assertThat(err).containsExactly("oops");
  }

  @Test
  void feedsStdin() throws Exception {
    ExitStatus s =
        run(
            "cat",
            Duration.ofSeconds(20),
            Optional.of("payload\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(s.code()).isZero();
    assertThat(out).containsExactly("payload");
  }

  @Test
  void aTimeoutKillsTheWholeProcessTree() throws Exception {
    Path pidFile = ws.resolve("child.pid");
    ExitStatus s =
        run("sleep 300 & echo $! > child.pid; wait", Duration.ofMillis(500), Optional.empty());
    assertThat(s.timedOut()).isTrue();
    long child = Long.parseLong(Files.readString(pidFile).trim());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() ->
            !ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false) || isZombie(child));
  }

  /** A killed child whose parent died waits for init to reap it; a zombie runs nothing. */
  static boolean isZombie(long pid) throws java.io.IOException {
    Path stat = Path.of("/proc/" + pid + "/stat");
    return Files.exists(stat) && Files.readString(stat).matches("(?s)^\\d+ \\(.*\\) Z .*\\s*");
  }

  @Test
  void abortKillsIt() throws Exception {
    var exec =
        engine.start(
            new ExecSpec(
                List.of("sleep", "300"),
                ws,
                Map.of(),
                Optional.empty(),
                Duration.ofMinutes(5),
                sink));
    exec.abort();
    ExitStatus s = exec.exit().toCompletableFuture().get();
    assertThat(s.aborted()).isTrue();
    assertThat(s.timedOut()).isFalse();
  }

  @Test
  void aMissingProgramIsAnEngineError() {
    assertThatThrownBy(() ->
            engine.start(
                new ExecSpec(
                    List.of("/no/such/program"),
                    ws,
                    Map.of(),
                    Optional.empty(),
                    Duration.ofSeconds(1),
                    sink)))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("/no/such/program");
  }
}
