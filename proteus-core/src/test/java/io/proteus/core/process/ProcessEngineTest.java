package io.proteus.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.EngineException;
import io.proteus.spi.Exec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.FailureKind;
import io.proteus.spi.OutputSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProcessEngineTest {
  @TempDir Path ws;
  final String marker = "0.000" + (100_000_000 + ThreadLocalRandom.current().nextInt(899_999_999));
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

  @AfterEach
  void killLeftovers() {
    marked().forEach(ProcessHandle::destroyForcibly);
  }

  /** The live processes whose command line carries this test's marker. */
  List<ProcessHandle> marked() {
    return ProcessHandle.allProcesses()
        .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .filter(h -> !Processes.isDead(h))
        .toList();
  }

  /**
   * A script that leaves three sleeps behind: in the background, under setsid, and as a
   * double-forked daemon; each says it started, and the script waits until all three did.
   */
  String daemons() {
    return "sleep 1000 "
        + marker
        + " &\n"
        + "setsid sh -c 'echo > s1; exec sleep 1000 "
        + marker
        + "' &\n"
        + "( setsid sh -c 'echo > s2; exec sleep 1000 "
        + marker
        + "' & )\n"
        + "while [ ! -f s1 ] || [ ! -f s2 ]; do sleep 0.05; done\n";
  }

  Exec start(ProcessEngine engine, String script, Duration timeout, Optional<byte[]> stdin) {
    return engine.start(
        new ExecSpec(
            List.of("sh", "-c", script), ws, Map.of("GREETING", "hi"), stdin, timeout, sink));
  }

  ExitStatus run(String script, Duration timeout, Optional<byte[]> stdin) throws Exception {
    return start(new ProcessEngine(), script, timeout, stdin)
        .exit()
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  static ProcessEngine engine(Containment how) {
    return new ProcessEngine(ProcessOptions.defaults().withContainment(how));
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
  void aTimeoutTooLongForMillisecondsStillEnds() throws Exception {
    ExitStatus s = run("echo ok", Duration.ofSeconds(Long.MAX_VALUE), Optional.empty());
    assertThat(s.code()).isZero();
    assertThat(out).containsExactly("ok");
  }

  @Test
  void withoutStdinACommandReadsAnEmptyInput() throws Exception {
    ExitStatus s = run("cat; echo done", Duration.ofSeconds(20), Optional.empty());
    assertThat(s.code()).isZero();
    assertThat(out).containsExactly("done");
  }

  @ParameterizedTest
  @EnumSource(
      value = Containment.class,
      names = {"AUTO", "PROCESS_TREE"})
  void aTimeoutKillsEveryProcessOfTheAttemptBeforeItEnds(Containment how) throws Exception {
    ExitStatus s =
        start(engine(how), daemons() + "sleep 300\n", Duration.ofSeconds(2), Optional.empty())
            .exit()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    assertThat(s.timedOut()).isTrue();
    assertThat(marked()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = Containment.class,
      names = {"AUTO", "PROCESS_TREE"})
  void processesLeftBehindDieWhenTheCommandEnds(Containment how) throws Exception {
    Exec exec = start(engine(how), daemons() + "exit 0\n", Duration.ofMinutes(5), Optional.empty());
    await().atMost(Duration.ofSeconds(30)).until(() -> exec.exit().toCompletableFuture().isDone());
    assertThat(exec.exit().toCompletableFuture().get().code()).isZero();
    assertThat(marked()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = Containment.class,
      names = {"AUTO", "PROCESS_TREE"})
  void abortKillsEveryProcessBeforeTheExitCompletes(Containment how) throws Exception {
    Exec exec =
        start(engine(how), daemons() + "sleep 300\n", Duration.ofMinutes(5), Optional.empty());
    await().atMost(Duration.ofSeconds(30)).until(() -> marked().size() >= 3);
    exec.abort();
    ExitStatus s = exec.exit().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertThat(s.aborted()).isTrue();
    assertThat(s.timedOut()).isFalse();
    assertThat(marked()).isEmpty();
  }

  @Test
  void theMachineGivesPidNamespacesAsRoot() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "needs root");
    assertThat(new ProcessEngine().namespaced()).isTrue();
  }

  @Test
  void anEscapedHolderOfThePipesDoesNotDelayTheEnd() throws Exception {
    ProcessEngine engine =
        new ProcessEngine(
            ProcessOptions.defaults()
                .withContainment(Containment.PROCESS_TREE)
                .withDrain(Duration.ofMillis(200)));
    String sleep =
        Launchable.onPath("sleep", Map.of("PATH", "/usr/bin:/bin")).orElseThrow().toString();
    Exec exec =
        start(
            engine,
            "( setsid env -i sh -c 'echo > s1; exec "
                + sleep
                + " 1000 "
                + marker
                + "' & )\n"
                + "while [ ! -f s1 ]; do sleep 0.05; done\necho bye\n",
            Duration.ofMinutes(5),
            Optional.empty());
    await().atMost(Duration.ofSeconds(5)).until(() -> exec.exit().toCompletableFuture().isDone());
    assertThat(out).first().isEqualTo("bye");
    assertThat(String.join("\n", out)).contains("stdout was still open");
  }

  @Test
  void hostVariablesReachTheCommandOnlyWhenAllowedOrPassed() throws Exception {
    ProcessEngine engine =
        new ProcessEngine(
            ProcessOptions.defaults().withPassEnvironment("MY_TOOL_*", "EXACT"),
            Map.of(
                "PATH", "/usr/bin:/bin",
                "LANG", "C.UTF-8",
                "CLOUD_SECRET", "hunter2",
                "MY_TOOL_HOME", "/opt/tool",
                "EXACT", "yes",
                "EXACTLY", "no"));
    ExitStatus s =
        start(engine, "env", Duration.ofSeconds(20), Optional.empty())
            .exit()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    assertThat(s.code()).isZero();
    assertThat(out)
        .contains("LANG=C.UTF-8", "MY_TOOL_HOME=/opt/tool", "EXACT=yes", "GREETING=hi")
        .noneMatch(l -> l.contains("hunter2") || l.startsWith("EXACTLY="));
  }

  @Test
  void theHostsOwnEnvironmentStaysOutside() throws Exception {
    Optional<String> outsider =
        System.getenv().keySet().stream()
            .filter(k -> !ProcessOptions.defaults().passes(k))
            .filter(k -> !k.startsWith("PROTEUS_"))
            .findFirst();
    org.junit.jupiter.api.Assumptions.assumeTrue(outsider.isPresent(), "nothing to keep out");
    run("env", Duration.ofSeconds(20), Optional.empty());
    assertThat(out).noneMatch(l -> l.startsWith(outsider.get() + "="));
  }

  @Test
  void aLongLineKeepsItsHeadAndTailAndNeverMore() throws Exception {
    ProcessEngine engine = new ProcessEngine(ProcessOptions.defaults().withMaxLineBytes(1024));
    ExitStatus s =
        start(
                engine,
                "printf 'HEAD'; head -c 3000000 /dev/zero | tr '\\0' x; printf 'TAIL\\nnext\\n'",
                Duration.ofSeconds(60),
                Optional.empty())
            .exit()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    assertThat(s.code()).isZero();
    assertThat(out).hasSize(2);
    assertThat(out.getFirst())
        .startsWith("HEAD")
        .endsWith("TAIL")
        .contains("[proteus: 2998984 bytes of this line dropped by the line cap of 1024 bytes]")
        .hasSizeLessThan(1200);
    assertThat(out.get(1)).isEqualTo("next");
  }

  @Test
  void aSinkThatThrowsLosesLinesButNeverBlocksTheCommand() throws Exception {
    ProcessEngine engine = new ProcessEngine();
    List<String> got = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    int[] calls = {0};
    OutputSink failing =
        new OutputSink() {
          @Override
          public synchronized void stdout(String line) {
            if (calls[0]++ < 10) {
              throw new IllegalStateException("sink broke");
            }
            got.add(line);
          }

          @Override
          public void stderr(String line) {}
        };
    ExitStatus s =
        engine
            .start(
                new ExecSpec(
                    List.of("sh", "-c", "seq 1 200000"),
                    ws,
                    Map.of(),
                    Optional.empty(),
                    Duration.ofSeconds(30),
                    failing))
            .exit()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    assertThat(s.timedOut()).isFalse();
    assertThat(s.code()).isZero();
    assertThat(got).contains("11", "200000");
    assertThat(got.getLast()).contains("10 lines of stdout were lost").contains("sink broke");
  }

  EngineException cannotStart(List<String> command, Map<String, String> env) {
    return org.junit.jupiter.api.Assertions.assertThrows(
        EngineException.class,
        () ->
            new ProcessEngine()
                .start(
                    new ExecSpec(command, ws, env, Optional.empty(), Duration.ofSeconds(5), sink)));
  }

  Path script(String name, String body) throws Exception {
    Path p = ws.resolve(name);
    Files.writeString(p, body);
    assertThat(p.toFile().setExecutable(true)).isTrue();
    return p;
  }

  @Test
  void aMissingInterpreterIsNamedWithItsFile() throws Exception {
    Path script = script("s.py", "#!/no/such/python9 -u\nprint(1)\n");
    assertThat(cannotStart(List.of(script.toString()), Map.of()))
        .hasMessageContaining("s.py")
        .hasMessageContaining("/no/such/python9")
        .hasMessageContaining("does not exist")
        .satisfies(e -> assertThat(e.retryable()).as("another worker may have it").isTrue());
  }

  @Test
  void anInterpreterThatEnvCannotFindIsNamedWithItsFile() throws Exception {
    Path script = script("s.sh", "#!/usr/bin/env nosuch-shell-9\necho\n");
    assertThat(cannotStart(List.of(script.toString()), Map.of()))
        .hasMessageContaining("s.sh")
        .hasMessageContaining("nosuch-shell-9");
  }

  @Test
  void aHashBangLineWithWindowsLineEndsSaysSo() throws Exception {
    Path script = script("s.sh", "#!/bin/sh\r\necho\r\n");
    assertThat(cannotStart(List.of(script.toString()), Map.of()))
        .hasMessageContaining("s.sh")
        .hasMessageContaining("carriage return")
        .satisfies(e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.BAD_BUILD);
          assertThat(e.retryable()).isFalse();
        });
  }

  @Test
  void aProgramOfTheWorkspaceThatCannotRunIsABadBuildNotRetried() throws Exception {
    Files.writeString(ws.resolve("plain.sh"), "echo\n");
    Files.createDirectories(ws.resolve("dir"));
    Path empty = script("empty.sh", "#!\necho\n");
    for (String program :
        List.of(ws.resolve("gone.sh").toString(), "./plain.sh", "./dir", empty.toString())) {
      assertThat(cannotStart(List.of(program), Map.of()))
          .as(program)
          .hasMessageContaining(Path.of(program).getFileName().toString())
          .satisfies(e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.BAD_BUILD);
            assertThat(e.retryable()).isFalse();
          });
    }
  }

  @Test
  void aProgramMissingOutsideTheWorkspaceIsRetried() {
    assertThat(cannotStart(List.of("/no/such/program"), Map.of()).retryable()).isTrue();
    assertThat(cannotStart(List.of("node-that-is-not-here"), Map.of()).retryable()).isTrue();
  }

  @Test
  void aProgramMissingFromPathIsNamed() {
    assertThat(cannotStart(List.of("node-that-is-not-here", "s.js"), Map.of()))
        .hasMessageContaining("node-that-is-not-here s.js")
        .hasMessageContaining("PATH");
    assertThat(cannotStart(List.of("/no/such/program"), Map.of()))
        .hasMessageContaining("/no/such/program");
  }

  @Test
  void anEnvironmentAProcessCannotCarryIsAnEngineError() {
    assertThat(cannotStart(List.of("true"), Map.of("A=B", "x"))).hasMessageContaining("A=B");
    assertThat(cannotStart(List.of("true"), Map.of("A", "x\0y"))).hasMessageContaining("NUL");
  }

  @Test
  void abortKillsIt() throws Exception {
    Exec exec =
        new ProcessEngine()
            .start(
                new ExecSpec(
                    List.of("sleep", "300"),
                    ws,
                    Map.of(),
                    Optional.empty(),
                    Duration.ofMinutes(5),
                    sink));
    exec.abort();
    ExitStatus s = exec.exit().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertThat(s.aborted()).isTrue();
    assertThat(s.timedOut()).isFalse();
  }
}
