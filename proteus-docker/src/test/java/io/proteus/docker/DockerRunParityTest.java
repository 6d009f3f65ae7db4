package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.testkit.RecordingOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's stdout, stderr and exit code match what {@code docker run} gives for the same image
 * and command. The {@code docker} command is the peer here; the engine never runs it.
 */
class DockerRunParityTest {
  static DockerEngine engine;
  @TempDir Path workspace;

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

  record Case(
      String name,
      String script,
      Map<String, String> env,
      Optional<String> stdin,
      Optional<String> file) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case c(String name, String script) {
    return new Case(name, script, Map.of(), Optional.empty(), Optional.empty());
  }

  static Stream<Arguments> cases() {
    return Stream.of(
            c("exit 0", "true"),
            c("exit 1", "false"),
            c("exit 3", "exit 3"),
            c("exit 137 (killed)", "kill -9 $$"),
            c("both streams", "echo out; echo err >&2; echo out2"),
            c("interleaved streams", "for i in 1 2 3; do echo o$i; echo e$i >&2; done"),
            c("large output", "seq 1 20000"),
            c("no output", ":"),
            c("last line without newline", "printf 'a\\nb'"),
            new Case(
                "stdin payload",
                "cat; echo done",
                Map.of(),
                Optional.of("line one\nline two\n"),
                Optional.empty()),
            new Case(
                "environment payload",
                "echo \"$GREETING $WHO\"",
                Map.of("GREETING", "hello", "WHO", "proteus"),
                Optional.empty(),
                Optional.empty()),
            new Case(
                "file payload",
                "cat payload.txt; exit 4",
                Map.of(),
                Optional.empty(),
                Optional.of("from a file\n")))
        .map(Arguments::of);
  }

  record Run(List<String> out, List<String> err, int code) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesDockerRun(Case c) throws Exception {
    if (c.file().isPresent()) {
      Files.writeString(workspace.resolve("payload.txt"), c.file().get());
    }
    Run viaEngine = engine(c);
    Run viaCli = cli(c);
    assertThat(viaEngine.code()).as("exit code").isEqualTo(viaCli.code());
    assertThat(viaEngine.out()).as("stdout").isEqualTo(viaCli.out());
    assertThat(viaEngine.err()).as("stderr").isEqualTo(viaCli.err());
  }

  Run engine(Case c) throws Exception {
    RecordingOutput sink = new RecordingOutput();
    ExitStatus s =
        engine
            .start(
                new ExecSpec(
                    List.of("sh", "-c", c.script()),
                    workspace,
                    c.env(),
                    c.stdin().map(x -> x.getBytes(StandardCharsets.UTF_8)),
                    Duration.ofSeconds(60),
                    sink))
            .exit()
            .toCompletableFuture()
            .get(90, TimeUnit.SECONDS);
    return new Run(sink.stdout(), sink.stderr(), s.code());
  }

  Run cli(Case c) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("docker", "run", "--rm", "--network", "none"));
    if (c.stdin().isPresent()) {
      cmd.add("-i");
    }
    c.env().forEach((k, v) -> cmd.addAll(List.of("-e", k + "=" + v)));
    String ws = workspace.toAbsolutePath().toString();
    cmd.addAll(
        List.of("-v", ws + ":" + ws, "-w", ws, DockerTestSupport.IMAGE, "sh", "-c", c.script()));
    Process p = new ProcessBuilder(cmd).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    try (var in = p.getOutputStream()) {
      if (c.stdin().isPresent()) {
        in.write(c.stdin().get().getBytes(StandardCharsets.UTF_8));
      }
    }
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    return new Run(lines(out.join()), lines(err.join()), p.exitValue());
  }

  static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static List<String> lines(String s) {
    if (s.isEmpty()) {
      return List.of();
    }
    List<String> l = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
    if (l.getLast().isEmpty()) {
      l.removeLast();
    }
    return l;
  }
}
