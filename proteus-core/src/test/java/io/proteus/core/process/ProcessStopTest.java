package io.proteus.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.spi.Exec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.OutputSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A polite stop: {@code SIGTERM} to every process of the command, a kill once the grace is over.
 * Real processes, on each way the engine contains them.
 */
class ProcessStopTest {
  @TempDir Path ws;
  final String marker = "0.000" + (100_000_000 + ThreadLocalRandom.current().nextInt(899_999_999));
  final List<String> out = new CopyOnWriteArrayList<>();

  /** The ways the process engine runs a command. */
  enum Way {
    WARM_NAMESPACE(() -> new ProcessEngine()),
    NAMESPACE_PER_COMMAND(() -> ProcessEngine.perCommand(ProcessOptions.defaults())),
    PROCESS_TREE(() ->
        new ProcessEngine(ProcessOptions.defaults().withContainment(Containment.PROCESS_TREE)));

    final Supplier<ProcessEngine> engine;

    Way(Supplier<ProcessEngine> engine) {
      this.engine = engine;
    }
  }

  @AfterEach
  void killLeftovers() {
    marked().forEach(ProcessHandle::destroyForcibly);
  }

  List<ProcessHandle> marked() {
    return ProcessHandle.allProcesses()
        .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .filter(h -> !Processes.isDead(h))
        .toList();
  }

  Exec start(Way way, String script) {
    OutputSink sink =
        new OutputSink() {
          @Override
          public void stdout(String line) {
            out.add(line);
          }

          @Override
          public void stderr(String line) {
            out.add(line);
          }
        };
    Exec exec =
        way.engine
            .get()
            .start(
                new ExecSpec(
                    List.of("sh", "-c", script),
                    ws,
                    Map.of(),
                    Optional.empty(),
                    Duration.ofMinutes(5),
                    sink));
    await().atMost(Duration.ofSeconds(30)).until(() -> out.contains("ready"));
    return exec;
  }

  static ExitStatus exit(Exec exec) throws Exception {
    return exec.exit().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void aCommandThatTrapsSigtermCleansUpAndEndsWithinTheGrace(Way way) throws Exception {
    Exec exec =
        start(
            way,
            "trap 'echo cleaned > cleanup; exit 0' TERM\n"
                + "sleep 300 "
                + marker
                + " &\necho ready\nwait\n");
    long stopped = System.nanoTime();
    exec.stop(Duration.ofSeconds(60));
    ExitStatus s = exit(exec);
    Duration took = Duration.ofNanos(System.nanoTime() - stopped);
    assertThat(took).isLessThan(Duration.ofSeconds(20));
    assertThat(Files.readString(ws.resolve("cleanup"))).isEqualTo("cleaned\n");
    assertThat(s.code()).isZero();
    assertThat(s.aborted()).isTrue();
    assertThat(s.timedOut()).isFalse();
    assertThat(marked()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void aCommandThatIgnoresSigtermIsKilledOnceTheGraceIsOver(Way way) throws Exception {
    Exec exec =
        start(
            way,
            "trap '' TERM\nsleep 300 "
                + marker
                + " &\necho ready\nwhile :; do wait; done\necho survived > cleanup\n");
    long stopped = System.nanoTime();
    Duration grace = Duration.ofMillis(1500);
    exec.stop(grace);
    ExitStatus s = exit(exec);
    Duration took = Duration.ofNanos(System.nanoTime() - stopped);
    assertThat(took).isGreaterThanOrEqualTo(grace).isLessThan(Duration.ofSeconds(30));
    assertThat(s.code()).isNotZero();
    assertThat(s.aborted()).isTrue();
    assertThat(ws.resolve("cleanup")).doesNotExist();
    assertThat(marked()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = Way.class,
      names = {"WARM_NAMESPACE", "PROCESS_TREE"})
  void aCommandWithoutAHandlerEndsAtTheSigtermNotAtTheGrace(Way way) throws Exception {
    Exec exec = start(way, "echo ready\nexec sleep 300 " + marker + "\n");
    long stopped = System.nanoTime();
    exec.stop(Duration.ofSeconds(60));
    ExitStatus s = exit(exec);
    assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(20));
    assertThat(s.code()).isEqualTo(143);
    assertThat(s.aborted()).isTrue();
    assertThat(marked()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void anAbortDuringTheGraceKillsAtOnce(Way way) throws Exception {
    Exec exec =
        start(
            way, "trap '' TERM\nsleep 300 " + marker + " &\necho ready\nwhile :; do wait; done\n");
    exec.stop(Duration.ofMinutes(10));
    await().during(Duration.ofMillis(300)).until(() -> !exec.exit().toCompletableFuture().isDone());
    long aborted = System.nanoTime();
    exec.abort();
    ExitStatus s = exit(exec);
    assertThat(Duration.ofNanos(System.nanoTime() - aborted)).isLessThan(Duration.ofSeconds(20));
    assertThat(s.aborted()).isTrue();
    assertThat(marked()).isEmpty();
  }
}
