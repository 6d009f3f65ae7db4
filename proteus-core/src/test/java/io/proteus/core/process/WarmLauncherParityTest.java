package io.proteus.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
    WarmLauncherTest.Ran a = run(warm, command, env, Optional.empty());
    WarmLauncherTest.Ran b = run(perCommand, command, env, Optional.empty());
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
  void stdinBytesArriveWholeFromAPrivateFileThatIsGoneAfterwards() throws Exception {
    byte[] bytes = new byte[300_000];
    new Random(42).nextBytes(bytes);
    WarmLauncherTest.Ran r =
        run(
            warm,
            List.of(
                "sh",
                "-c",
                "f=$(readlink /proc/self/fd/0); echo \"$f\"; stat -c %a \"$f\" \"${f%/*}\";"
                    + " cat > got.bin"),
            Map.of(),
            Optional.of(bytes));
    assertThat(r.status().code()).isZero();
    assertThat(r.out()).hasSize(3);
    assertThat(r.out().get(1)).isEqualTo("600");
    assertThat(r.out().get(2)).isEqualTo("700");
    assertThat(Files.readAllBytes(ws.resolve("got.bin"))).isEqualTo(bytes);
    Path file = Path.of(r.out().getFirst());
    assertThat(file).doesNotExist();
    try (var left = Files.list(file.getParent())) {
      assertThat(left).isEmpty();
    }
    assertThat(warm.launchersStarted()).isEqualTo(1);
    warm.close();
    assertThat(file.getParent()).doesNotExist();
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
