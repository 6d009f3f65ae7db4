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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands on warm launchers: contained as strongly as with a namespace each, and reused. */
class WarmLauncherTest {
  @TempDir Path ws;
  final String marker = "0.000" + (100_000_000 + ThreadLocalRandom.current().nextInt(899_999_999));
  ProcessEngine engine;

  /** What one command printed. */
  static final class Lines implements OutputSink {
    final List<String> out = new CopyOnWriteArrayList<>();
    final List<String> err = new CopyOnWriteArrayList<>();

    @Override
    public void stdout(String line) {
      out.add(line);
    }

    @Override
    public void stderr(String line) {
      err.add(line);
    }
  }

  record Ran(ExitStatus status, List<String> out, List<String> err) {}

  @BeforeEach
  void needsNamespaces() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Isolation.namespace().isPresent() && Launcher.shell().isPresent(),
        "needs PID namespaces and dash");
    engine = new ProcessEngine();
  }

  @AfterEach
  void closeAndKillLeftovers() {
    if (engine != null) {
      engine.close();
    }
    marked().forEach(ProcessHandle::destroyForcibly);
  }

  List<ProcessHandle> marked() {
    return ProcessHandle.allProcesses()
        .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .filter(h -> !Processes.isDead(h))
        .toList();
  }

  Exec start(ProcessEngine on, String script, Lines sink, Duration timeout) {
    return on.start(
        new ExecSpec(List.of("sh", "-c", script), ws, Map.of(), Optional.empty(), timeout, sink));
  }

  Ran run(ProcessEngine on, String script) throws Exception {
    Lines sink = new Lines();
    ExitStatus s =
        start(on, script, sink, Duration.ofMinutes(1))
            .exit()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    return new Ran(s, sink.out, sink.err);
  }

  @Test
  void aCommandRunsOnALauncherThatTheNextOneReuses() throws Exception {
    Ran first = run(engine, "echo one; echo two >&2; exit 4");
    assertThat(first.status().code()).isEqualTo(4);
    assertThat(first.out()).containsExactly("one");
    assertThat(first.err()).containsExactly("two");
    Ran second = run(engine, "printf 'no newline'");
    assertThat(second.status().code()).isZero();
    assertThat(second.out()).containsExactly("no newline");
    assertThat(second.err()).isEmpty();
    assertThat(engine.launchersStarted()).isEqualTo(1);
  }

  @Test
  void aDoubleForkedDaemonIsDeadWhenTheExitIsReported() throws Exception {
    Ran r =
        run(
            engine,
            "( setsid sh -c 'echo > s1; exec sleep 1000 "
                + marker
                + "' & )\n"
                + "sleep 1000 "
                + marker
                + " &\n"
                + "while [ ! -f s1 ]; do sleep 0.01; done\necho bye\n");
    assertThat(r.status().code()).isZero();
    assertThat(r.out()).containsExactly("bye");
    assertThat(marked()).isEmpty();
    assertThat(run(engine, "echo again").out()).containsExactly("again");
    assertThat(engine.launchersStarted()).isEqualTo(1);
  }

  @Test
  void aCommandThatClosesItsOutputEarlyEndsWhenItEnds() throws Exception {
    Ran r =
        run(
            engine,
            "echo before; exec >&- 2>&-; sleep 0.3; echo > finished\n"
                + "( setsid sleep 1000 "
                + marker
                + " & )\n");
    assertThat(r.status().code()).isZero();
    assertThat(r.out()).containsExactly("before");
    assertThat(ws.resolve("finished")).exists();
    assertThat(marked()).isEmpty();
    Ran redirected = run(engine, "exec >/dev/null; echo gone; echo kept >&2");
    assertThat(redirected.out()).isEmpty();
    assertThat(redirected.err()).containsExactly("kept");
  }

  @Test
  void outputThatLooksLikeAMarkerIsOutput() throws Exception {
    String fake = "0123456789abcdef0123456789abcdef";
    Ran r =
        run(
            engine,
            "printf '\\001%s 0\\n' "
                + fake
                + "; printf '\\001%s\\n' "
                + fake
                + " >&2; printf 'ready 1 1\\n\\n\\001012'; exit 9");
    assertThat(r.status().code()).isEqualTo(9);
    assertThat(r.out()).containsExactly("\u0001" + fake + " 0", "ready 1 1", "", "\u0001012");
    assertThat(r.err()).containsExactly("\u0001" + fake);
    assertThat(run(engine, "echo next").out()).containsExactly("next");
    assertThat(engine.launchersStarted()).isEqualTo(1);
  }

  /**
   * A hostile command that finds its real marker (here in the launcher shell's memory, which a
   * process of the same user may read) and prints it with a made-up exit code cannot end early with
   * that code: the end counts only once the launcher echoes a nonce sent after the namespace
   * emptied.
   */
  @Test
  void aCommandThatPrintsItsRealMarkerCannotForgeItsEndOrCode() throws Exception {
    String forge =
        """
        read -r _ _ _ init _ < /proc/self/stat
        soh=$(printf '\\001')
        grep -E ' rw' /proc/$init/maps | while read -r range _; do
          lo=$((0x${range%-*})); hi=$((0x${range#*-}))
          dd if=/proc/$init/mem bs=4096 skip=$((lo / 4096)) count=$(((hi - lo) / 4096)) \\
            status=none 2>/dev/null | grep -a -o -E "$soh[0-9a-f]{32}"
        done > found
        [ -s found ] && echo found >&2
        while read -r m; do printf '%s 0\\n' "$m"; printf '%s\\n' "$m" >&2; done < found
        sleep 1000 MARK &
        sleep 0.2
        exit 7
        """
            .replace("MARK", marker);
    Ran r = run(engine, forge);
    assertThat(r.status().code()).as("stderr %s", r.err()).isIn(7, WarmProcess.KILLED);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        r.err().contains("found"), "the launcher's memory cannot be read here");
    assertThat(r.status().code()).isEqualTo(WarmProcess.KILLED);
    assertThat(marked()).isEmpty();
    assertThat(run(engine, "echo next").out()).containsExactly("next");
    assertThat(run(engine, "exit 3").status().code()).isEqualTo(3);
  }

  /**
   * A command may change what its parent, the launcher's shell, hands on to the next command (its
   * limits, its nice value, the CPUs it may run on, its cgroup): the next command must still get
   * what a fresh start gives, so such a launcher is not reused.
   */
  @Test
  void aCommandThatChangesTheLauncherItselfDoesNotChangeTheNextCommand() throws Exception {
    String look =
        "ulimit -n; cut -d' ' -f19 /proc/self/stat; cat /proc/self/oom_score_adj;"
            + " grep -E '^(Cpus|Mems)_allowed_list' /proc/self/status; cat /proc/self/cgroup";
    List<String> fresh = run(engine, look).out();
    assertThat(fresh).hasSizeGreaterThan(4);
    // $PPID is the launcher's shell in the namespace's numbering, which the system calls use;
    // /proc is the host's, where the shell has the pid /proc/self/stat names as the parent.
    String parent = "read -r _ _ _ pp _ < /proc/self/stat; ";
    List<String> changes =
        new ArrayList<>(
            List.of(
                "prlimit --pid $PPID --nofile=100:100",
                "renice -n 7 -p $PPID >/dev/null",
                parent + "echo 500 > /proc/$pp/oom_score_adj"));
    if (Runtime.getRuntime().availableProcessors() > 1) {
      changes.add("taskset -p 1 $PPID >/dev/null");
    }
    for (String change : changes) {
      Ran changed = run(engine, change);
      assertThat(changed.status().code()).as("%s: %s", change, changed.err()).isZero();
      assertThat(run(engine, look).out()).as("after %s", change).isEqualTo(fresh);
    }
    assertThat(engine.launchersStarted()).isEqualTo(1 + changes.size());
  }

  @Test
  void aKilledCommandLeavesNoMessageOfTheLauncher() throws Exception {
    Ran r = run(engine, "echo before; kill -9 $$");
    assertThat(r.status().code()).isEqualTo(137);
    assertThat(r.out()).containsExactly("before");
    assertThat(r.err()).isEmpty();
    assertThat(run(engine, "echo >&2 next").err()).containsExactly("next");
  }

  @Test
  void aLauncherKilledMidCommandEndsItAsKilledAndIsNotReused() throws Exception {
    for (boolean shell : new boolean[] {false, true}) {
      Lines sink = new Lines();
      Exec exec =
          start(engine, "echo started; exec sleep 300 " + marker, sink, Duration.ofMinutes(5));
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.out.contains("started"));
      ProcessHandle unshare = engine.launchers().getFirst();
      ProcessHandle victim = shell ? unshare.children().findFirst().orElseThrow() : unshare;
      victim.destroyForcibly();
      ExitStatus s = exec.exit().toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertThat(s.code()).as("shell killed: %s", shell).isEqualTo(137);
      assertThat(s.timedOut()).isFalse();
      assertThat(s.aborted()).isFalse();
      assertThat(marked()).isEmpty();
      assertThat(engine.launchers()).doesNotContain(unshare);
    }
    assertThat(run(engine, "echo after").out()).containsExactly("after");
    assertThat(engine.launchersStarted()).isEqualTo(3);
  }

  @Test
  void aTimeoutOrAbortKillsTheCommandAndKeepsTheLauncher() throws Exception {
    Lines sink = new Lines();
    ExitStatus timedOut =
        start(engine, "sleep 300 " + marker, sink, Duration.ofMillis(300))
            .exit()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    assertThat(timedOut.timedOut()).isTrue();
    assertThat(timedOut.code()).isEqualTo(137);
    Exec exec = start(engine, "echo up; sleep 300 " + marker, sink, Duration.ofMinutes(5));
    await().atMost(Duration.ofSeconds(30)).until(() -> sink.out.contains("up"));
    exec.abort();
    ExitStatus aborted = exec.exit().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertThat(aborted.aborted()).isTrue();
    assertThat(aborted.code()).isEqualTo(137);
    assertThat(marked()).isEmpty();
    assertThat(run(engine, "echo still").out()).containsExactly("still");
    assertThat(engine.launchersStarted()).isEqualTo(1);
  }

  @Test
  void anAbortRightAfterTheStartStillKillsTheCommand() throws Exception {
    for (int i = 0; i < 20; i++) {
      Exec exec = start(engine, "sleep 300 " + marker, new Lines(), Duration.ofMinutes(5));
      exec.abort();
      ExitStatus s = exec.exit().toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertThat(s.aborted()).isTrue();
      assertThat(s.code()).isNotZero();
    }
    assertThat(marked()).isEmpty();
  }

  @Test
  void twoHundredSequentialCommandsShareOneLauncherAndLeaveNothing() throws Exception {
    for (int i = 0; i < 200; i++) {
      Ran r = run(engine, "echo " + i + "; sleep 1000 " + marker + " & exit " + (i % 7));
      assertThat(r.status().code()).isEqualTo(i % 7);
      assertThat(r.out()).containsExactly(Integer.toString(i));
    }
    assertThat(engine.launchersStarted()).isEqualTo(1);
    assertThat(marked()).isEmpty();
    List<ProcessHandle> launchers = engine.launchers();
    assertThat(launchers).hasSize(1);
    List<ProcessHandle> shells = new ArrayList<>(launchers.getFirst().descendants().toList());
    assertThat(shells).hasSize(1);
    engine.close();
    List<ProcessHandle> all = new ArrayList<>(launchers);
    all.addAll(shells);
    await().atMost(Duration.ofSeconds(30)).until(() -> all.stream().allMatch(Processes::isDead));
    assertThat(engine.launchers()).isEmpty();
  }

  /** The launchers (their {@code unshare} and their shells) that this JVM started. */
  static List<ProcessHandle> launcherProcesses() {
    return ProcessHandle.current()
        .descendants()
        .filter(h -> h.info().commandLine().map(c -> c.contains("kill -KILL -1")).orElse(false))
        .filter(h -> !Processes.isDead(h))
        .toList();
  }

  @Test
  void noLauncherOrScriptFolderOutlivesTheEngine() throws Exception {
    Set<ProcessHandle> before = new HashSet<>(launcherProcesses());
    assertThat(run(engine, "sleep 1000 " + marker + " & echo ok").out()).containsExactly("ok");
    Path folder = engine.scriptFolder();
    assertThat(folder).isNotNull().isDirectory();
    Lines sink = new Lines();
    assertThat(
            start(engine, "sleep 300 " + marker, sink, Duration.ofMillis(200))
                .exit()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS)
                .timedOut())
        .isTrue();
    Exec aborted = start(engine, "echo up; sleep 300 " + marker, sink, Duration.ofMinutes(5));
    await().atMost(Duration.ofSeconds(30)).until(() -> sink.out.contains("up"));
    aborted.abort();
    aborted.exit().toCompletableFuture().get(60, TimeUnit.SECONDS);
    List<Exec> running = new ArrayList<>();
    List<Lines> sinks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Lines s = new Lines();
      sinks.add(s);
      running.add(start(engine, "echo in; exec sleep 300 " + marker, s, Duration.ofMinutes(5)));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> sinks.stream().allMatch(s -> s.out.contains("in")));
    Set<ProcessHandle> ours = new HashSet<>(launcherProcesses());
    ours.removeAll(before);
    assertThat(ours).as("an unshare and a shell per launcher").hasSize(12);
    engine.close();
    for (Exec e : running) {
      assertThat(e.exit().toCompletableFuture().get(60, TimeUnit.SECONDS).aborted()).isTrue();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> {
          Set<ProcessHandle> left = new HashSet<>(launcherProcesses());
          left.removeAll(before);
          assertThat(left).isEmpty();
        });
    assertThat(ours).allMatch(Processes::isDead);
    assertThat(marked()).isEmpty();
    assertThat(engine.launchers()).isEmpty();
    assertThat(folder).doesNotExist();
  }

  @Test
  void concurrentCommandsGetLaunchersOfTheirOwn() throws Exception {
    List<Exec> execs = new ArrayList<>();
    List<Lines> sinks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Lines sink = new Lines();
      sinks.add(sink);
      execs.add(
          start(
              engine,
              "readlink /proc/self/ns/pid; while [ ! -f go ]; do sleep 0.01; done",
              sink,
              Duration.ofMinutes(1)));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> sinks.stream().allMatch(s -> !s.out.isEmpty()));
    assertThat(engine.launchers()).hasSize(3);
    Files.writeString(ws.resolve("go"), "");
    Set<String> namespaces = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      assertThat(execs.get(i).exit().toCompletableFuture().get(60, TimeUnit.SECONDS).code())
          .isZero();
      namespaces.add(sinks.get(i).out.getFirst());
    }
    assertThat(namespaces).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(run(engine, "true").status().code()).isZero();
    }
    assertThat(engine.launchersStarted()).isEqualTo(3);
  }
}
