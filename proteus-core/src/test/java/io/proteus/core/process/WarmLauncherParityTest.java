package io.proteus.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.proteus.EngineException;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command on a warm launcher gets what a command in a namespace of its own gets. */
class WarmLauncherParityTest {
  @TempDir Path ws;
  @TempDir Path tmp;
  ProcessEngine warm;
  ProcessEngine perCommand;

  @BeforeEach
  void engines() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Isolation.namespace().isPresent() && Launcher.shell().isPresent(),
        "needs PID namespaces and dash");
    warm = new ProcessEngine();
    perCommand = ProcessEngine.perCommand(ProcessOptions.defaults());
  }

  @AfterEach
  void close() {
    if (warm != null) {
      warm.close();
      perCommand.close();
    }
  }

  WarmLauncherTest.Ran run(
      ProcessEngine on, List<String> command, Map<String, String> env, Optional<byte[]> stdin)
      throws Exception {
    WarmLauncherTest.Lines sink = new WarmLauncherTest.Lines();
    ExitStatus s =
        on.start(new ExecSpec(command, ws, env, stdin, Duration.ofMinutes(1), sink))
            .exit()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    return new WarmLauncherTest.Ran(s, sink.out, sink.err);
  }

  /** Runs it both ways; returns the warm run's lines after checking they equal the other's. */
  List<String> same(List<String> command, Map<String, String> env) throws Exception {
    return same(command, env, Optional.empty());
  }

  /**
   * Runs it both ways with {@code stdin}; checks that the warm engine ran it on a launcher exactly
   * when {@code onLauncher} says, that the other never did, and that both gave the same.
   */
  List<String> same(List<String> command, Map<String, String> env, Optional<byte[]> stdin)
      throws Exception {
    boolean onLauncher = TaskScript.fits(command, env, ws) && stdin.isEmpty();
    return same(command, env, stdin, onLauncher);
  }

  List<String> same(
      List<String> command, Map<String, String> env, Optional<byte[]> stdin, boolean onLauncher)
      throws Exception {
    int warmBefore = warm.warmStarts();
    WarmLauncherTest.Ran a = run(warm, command, env, stdin);
    assertThat(warm.warmStarts() - warmBefore)
        .as("commands of %s that ran on a launcher", command)
        .isEqualTo(onLauncher ? 1 : 0);
    WarmLauncherTest.Ran b = run(perCommand, command, env, stdin);
    assertThat(perCommand.warmStarts()).isZero();
    List<String> x = withoutExecId(a.out());
    assertThat(x).as("%s", command).isEqualTo(withoutExecId(b.out()));
    assertThat(a.err()).isEqualTo(b.err());
    assertThat(a.status().code()).isEqualTo(b.status().code());
    return x;
  }

  static List<String> withoutExecId(List<String> lines) {
    return lines.stream()
        .map(l -> l.startsWith(ProcessEngine.EXEC_ID + "=") ? ProcessEngine.EXEC_ID + "=" : l)
        .toList();
  }

  static Map<String, String> awkward() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("QUOTES", "it's \"quoted\" 'twice''");
    env.put("LINES", "one\ntwo\r\nthree\n");
    env.put("SHELLISH", "$HOME `id` $(id) \\ * ? [a] ; & | > < ~ #");
    env.put("EMPTY", "");
    env.put("SPACES", "  lead and trail  ");
    env.put("UNICODE", "żółw ☃ 雪");
    env.put("PWD", "/not/where/it/runs");
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("IFS", ":");
    env.put("HOME", "/h o m e");
    env.put("_", "underscore");
    return env;
  }

  /**
   * The environment {@code env -0} sees, entry by entry, in name order: dash hands the entries to
   * the command in an order of its own, a direct start in the order of {@link ProcessBuilder}'s
   * map.
   */
  List<String> environment(ProcessEngine on, Map<String, String> env) throws Exception {
    WarmLauncherTest.Ran r = run(on, List.of("env", "-0"), env, Optional.empty());
    assertThat(r.status().code()).isZero();
    return withoutExecId(
        java.util.Arrays.stream(String.join("\n", r.out()).split("\0")).sorted().toList());
  }

  @Test
  void theEnvironmentIsExactlyTheOneADirectStartGives() throws Exception {
    for (Map<String, String> env : List.of(awkward(), Map.<String, String>of())) {
      assertThat(environment(warm, env)).isEqualTo(environment(perCommand, env));
    }
    assertThat(environment(warm, awkward()))
        .contains("QUOTES=it's \"quoted\" 'twice''", "PWD=/not/where/it/runs", "EMPTY=", "IFS=:")
        .contains("LINES=one\ntwo\nthree\n", "SPACES=  lead and trail  ", "_=underscore")
        .contains("UNICODE=żółw ☃ 雪", ProcessEngine.EXEC_ID + "=");
    assertThat(environment(warm, Map.of()))
        .noneMatch(l -> l.startsWith("PWD=") || l.startsWith("OLDPWD=") || l.startsWith("SHLVL="));
    assertThat(same(List.of("sh", "-c", "env | sort"), awkward())).isNotEmpty();
    assertThat(warm.launchersStarted()).isEqualTo(1);
  }

  @Test
  void argumentsArriveByteForByte() throws Exception {
    List<String> args = new ArrayList<>(List.of("printf", "[%s]\\n"));
    args.addAll(
        List.of(
            "it's",
            "",
            " ",
            "a\nb",
            "$HOME",
            "`id`",
            "\\",
            "*",
            "--",
            "-n",
            "'",
            "''",
            "☃",
            "x".repeat(10_000)));
    assertThat(same(args, Map.of())).hasSize(15).startsWith("[it's]", "[]", "[ ]", "[a", "b]");
  }

  @Test
  void descriptorsSignalsWorkingFolderAndUmaskAreTheSame() throws Exception {
    assertThat(same(List.of("ls", "/proc/self/fd"), Map.of())).containsExactly("0", "1", "2", "3");
    assertThat(
            same(
                List.of(
                    "sh",
                    "-c",
                    "grep -E '^(SigBlk|SigIgn|SigCgt|Umask|NoNewPrivs)' /proc/self/status"),
                Map.of()))
        .hasSize(5);
    assertThat(same(List.of("readlink", "/proc/self/cwd"), Map.of()))
        .containsExactly(ws.toRealPath().toString());
    assertThat(same(List.of("readlink", "/proc/self/fd/0"), Map.of())).containsExactly("/dev/null");
    assertThat(run(warm, List.of("sh", "-c", "echo $$ $PPID"), Map.of(), Optional.empty()).out())
        .as("a child of the launcher, not the namespace's first process")
        .singleElement()
        .satisfies(l -> assertThat(l).doesNotStartWith("1 ").endsWith(" 1"));
  }

  @Test
  void stdinBytesComeThroughAPipeAsADirectStartGivesThem() throws Exception {
    byte[] bytes = new byte[300_000];
    new Random(42).nextBytes(bytes);
    List<String> command =
        List.of(
            "sh",
            "-c",
            "stat -L -c %F /dev/stdin; head -c 5 >/dev/null; cat > got.bin; wc -c < got.bin;"
                + " cmp -s got.bin expected.bin && echo same");
    Files.write(ws.resolve("expected.bin"), java.util.Arrays.copyOfRange(bytes, 5, bytes.length));
    assertThat(same(command, Map.of(), Optional.of(bytes), false))
        .containsExactly("fifo", Integer.toString(bytes.length - 5), "same");
    assertThat(
            same(
                List.of("stat", "-L", "-c", "%F", "/dev/stdin"),
                Map.of(),
                Optional.of(new byte[0]),
                false))
        .containsExactly("fifo");
    assertThat(same(List.of("stat", "-L", "-c", "%F", "/dev/stdin"), Map.of()))
        .containsExactly("character special file");
  }

  @Test
  void aCommandTooLargeForExecFailsToStartAsADirectStartDoes() throws Exception {
    List<String> huge = List.of("printf", "%.3s\\n", "x".repeat(200_000));
    Throwable onLauncher = catchThrowable(() -> run(warm, huge, Map.of(), Optional.empty()));
    Throwable direct = catchThrowable(() -> run(perCommand, huge, Map.of(), Optional.empty()));
    assertThat(direct).isInstanceOf(EngineException.class).hasMessageContaining("too long");
    assertThat(onLauncher).isInstanceOf(EngineException.class).hasMessage(direct.getMessage());
    Throwable bigEnv =
        catchThrowable(
            () -> run(warm, List.of("true"), Map.of("BIG", "y".repeat(200_000)), Optional.empty()));
    assertThat(bigEnv).isInstanceOf(EngineException.class).hasMessageContaining("too long");
    List<String> large = List.of("printf", "%.3s\\n", "x".repeat(60_000));
    assertThat(same(large, Map.of("BIG", "y".repeat(40_000)))).containsExactly("xxx");
  }

  @Test
  void variablesTheShellCannotExportTakeTheDirectPath() throws Exception {
    Map<String, String> env = Map.of("A-B", "dash", "OPTIND", "x", "1ST", "digit");
    List<String> lines = same(List.of("env"), env);
    assertThat(lines).contains("A-B=dash", "OPTIND=x", "1ST=digit");
    assertThat(warm.launchersStarted()).isZero();
    assertThat(perCommand.launchersStarted()).isZero();
  }

  @Test
  void idleLaunchersDieWithAJvmThatNeverClosedItsEngine() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path pids = tmp.resolve("pids.txt");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LeftEngineMain.class.getName(),
                ws.toString(),
                pids.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("out.txt").toFile())
            .start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(tmp.resolve("out.txt"))).isZero();
    List<ProcessHandle> left =
        Files.readAllLines(pids, StandardCharsets.UTF_8).stream()
            .map(Long::parseLong)
            .flatMap(pid -> ProcessHandle.of(pid).stream())
            .toList();
    await().atMost(Duration.ofSeconds(30)).until(() -> left.stream().allMatch(Processes::isDead));
  }
}
