package io.proteus.core.process;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warm PID namespace: {@code unshare ... -- dash -c LOOP}, started once with an empty
 * environment, whose shell is the first process ({@code init}) of its own PID namespace and runs
 * one command at a time, each as a subshell sourcing its {@link TaskScript}. After a command ends
 * the shell sends {@code SIGKILL} to every other process of the namespace (all the command left,
 * double-forked daemons included, since orphans come to {@code init}) and reaps them until none is
 * left, and only then writes the command's marker and exit code on stdout and its marker on stderr.
 * It then reads one more line, a fresh nonce, and writes it back on stdout: see {@link
 * #confirm(String)}.
 *
 * <p>Its standard input takes one request a line ({@code <marker> <script>}); when it closes, the
 * loop ends, and {@code --kill-child} ties the namespace to {@code unshare}. Dead launcher means
 * empty namespace: {@code init} dies last.
 */
final class Launcher {
  private static final Logger log = LoggerFactory.getLogger(Launcher.class);
  private static final Duration READY_WAIT = Duration.ofSeconds(10);

  /**
   * The loop. It refuses to run unless its shell is {@code init} of a PID namespace: {@code kill
   * -1} reaches no further than the namespace only there. The shell's own messages (such as {@code
   * Killed} for a command killed by a signal) go to {@code /dev/null}; commands get its stderr,
   * kept as fd 3, as theirs. {@code kill -KILL -1} from {@code init} signals every process of the
   * namespace but itself and fails once there is none, zombies counted; {@code : & wait} reaps
   * whatever has died meanwhile, and past 100 rounds (a process that cannot die yet, stuck in the
   * kernel) the loop waits 10 ms a round instead of spinning. After the end it echoes the nonce
   * {@link #confirm(String)} sends.
   */
  static final String LOOP =
      """
      [ "$$" = 1 ] || exit 1
      exec 3>&2 2>/dev/null
      read -r p _ < /proc/self/stat || p=-
      printf 'ready %s %s\\n' "$$" "$p"
      while read -r m f; do
        ( . "$f" ) 2>&3 3>&-; c=$?; n=0
        while kill -KILL -1; do
          if [ $n -lt 100 ]; then n=$((n + 1)); : & wait; else sleep 0.01; fi
        done
        printf '%s %s\\n' "$m" "$c"
        printf '%s\\n' "$m" >&3
        read -r s || exit 0
        printf '%s\\n' "$s"
      done
      """;

  private final Process unshare;
  private final ProcessHandle init;
  private final OutputStream requests;
  private final InputStream stdout;
  private final InputStream stderr;
  private final String state;

  private Launcher(Process unshare, ProcessHandle init) {
    this.unshare = unshare;
    this.init = init;
    this.requests = unshare.getOutputStream();
    this.stdout = unshare.getInputStream();
    this.stderr = unshare.getErrorStream();
    this.state = state(init.pid());
  }

  /**
   * What of {@code init} a command may change from outside (its parent is {@code init}) and the
   * next command would inherit: its resource limits, nice value, scheduling policy and priority,
   * the CPUs and memory nodes it may use, its cgroup, its OOM score adjustment, and whether
   * something traces it.
   */
  static String state(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    StringBuilder b = new StringBuilder(2048);
    b.append(read(proc.resolve("limits")));
    String stat = read(proc.resolve("stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 1).trim().split(" ");
    if (f.length > 38) {
      b.append(f[15]).append(' ').append(f[16]).append(' ');
      b.append(f[37]).append(' ').append(f[38]).append('\n');
    } else {
      b.append(stat);
    }
    for (String line : read(proc.resolve("status")).split("\n")) {
      if (line.startsWith("Cpus_allowed_list:")
          || line.startsWith("Mems_allowed_list:")
          || line.startsWith("TracerPid:")) {
        b.append(line).append('\n');
      }
    }
    b.append(read(proc.resolve("cgroup")));
    b.append(read(proc.resolve("oom_score_adj")));
    return b.toString();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException e) {
      return "? " + p.getFileName() + " " + e.getClass().getSimpleName() + "\n";
    }
  }

  /**
   * Whether {@code init} is as it started: a command that changed its limits, priority, CPUs,
   * cgroup or OOM score (through {@code prlimit}, {@code renice}, {@code taskset} on its parent,
   * say) would hand them on to the next command.
   */
  boolean unchanged() {
    return state.equals(state(init.pid()));
  }

  /** The shell the loop is written for, if the machine has it. */
  static Optional<Path> shell() {
    for (String s : List.of("/bin/dash", "/usr/bin/dash")) {
      Path p = Path.of(s);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Starts one inside {@code isolation} and waits until its shell says it is ready. */
  static Launcher start(Isolation isolation, Path shell) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(isolation.wrap(List.of(shell.toString(), "-c", LOOP)))
            .directory(new File("/"));
    pb.environment().clear();
    Process p = pb.start();
    try {
      String ready = readyLine(p);
      String[] words = ready.split(" ");
      if (words.length != 3 || !words[0].equals("ready") || !words[1].equals("1")) {
        throw new IOException("the launcher did not start in its own PID namespace: " + ready);
      }
      ProcessHandle init = find(p, words[2]);
      return new Launcher(p, init);
    } catch (IOException | RuntimeException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  private static String readyLine(Process p) throws IOException {
    InputStream in = p.getInputStream();
    CompletableFuture<String> line = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("proteus-launcher-" + p.pid())
        .start(() -> {
          ByteArrayOutputStream got = new ByteArrayOutputStream();
          try {
            int c;
            while ((c = in.read()) >= 0 && c != '\n' && got.size() < 100) {
              got.write(c);
            }
            line.complete(
                c == '\n'
                    ? got.toString(StandardCharsets.US_ASCII)
                    : "ended: " + got.toString(StandardCharsets.US_ASCII));
          } catch (IOException | RuntimeException e) {
            line.complete("failed: " + e);
          }
        });
    try {
      return line.get(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException("the launcher did not answer within " + READY_WAIT, e);
    } catch (ExecutionException e) {
      throw new IOException("the launcher did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the launcher", e);
    }
  }

  /** The launcher's shell: the pid it read from /proc/self/stat, else unshare's only child. */
  private static ProcessHandle find(Process p, String pid) throws IOException {
    Optional<ProcessHandle> init = Optional.empty();
    if (pid.chars().allMatch(Character::isDigit) && !pid.isEmpty()) {
      init =
          ProcessHandle.of(Long.parseLong(pid))
              .filter(h -> h.parent().map(q -> q.pid() == p.pid()).orElse(false));
    }
    if (init.isEmpty()) {
      init = p.toHandle().children().findFirst();
    }
    return init.orElseThrow(() -> new IOException("cannot find the launcher's shell"));
  }

  /** Asks it to run the script; its end comes as {@code marker} on stdout and stderr. */
  void send(String marker, Path script) throws IOException {
    String path = script.toString();
    if (path.indexOf('\n') >= 0) {
      throw new IOException("a script path holds a line end: " + path);
    }
    requests.write((marker + " " + path + "\n").getBytes(TaskScript.NATIVE));
    requests.flush();
  }

  /**
   * Waits until nothing but {@code init} is left in the namespace: {@code init} has no child, not
   * even a zombie (every process of the namespace descends from it). Returns false once {@code
   * init} is dead. No deadline: a command's timeout or abort kills what keeps it waiting.
   */
  boolean awaitEmpty() throws InterruptedException {
    Path children = Path.of("/proc", Long.toString(init.pid()), "task", Long.toString(init.pid()));
    children = children.resolve("children");
    long pause = 1;
    while (true) {
      if (!init.isAlive()) {
        return false;
      }
      boolean empty;
      try {
        empty = Files.readAllBytes(children).length == 0;
      } catch (IOException e) {
        empty = init.children().findAny().isEmpty();
      }
      if (empty) {
        return init.isAlive();
      }
      Thread.sleep(pause);
      pause = Math.min(pause * 2, 10);
    }
  }

  /**
   * Confirms the end a marker announced: sends {@code nonce} (made after the namespace was seen
   * empty, so no process of the command can read it) and reads it back as the very next line of
   * stdout, with nothing after it. A command that read its marker (from the launcher's memory, say)
   * and printed it before its end fails this: the launcher's own end line comes first.
   */
  boolean confirm(String nonce) throws IOException {
    requests.write((nonce + "\n").getBytes(StandardCharsets.US_ASCII));
    requests.flush();
    byte[] want = (nonce + "\n").getBytes(StandardCharsets.US_ASCII);
    for (byte b : want) {
      if (stdout.read() != (b & 0xff)) {
        return false;
      }
    }
    return stdout.available() == 0;
  }

  /** Whether it can take another command: alive, and nothing unread on its streams. */
  boolean reusable() {
    try {
      return unshare.isAlive()
          && init.isAlive()
          && stdout.available() == 0
          && stderr.available() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  InputStream stdout() {
    return stdout;
  }

  InputStream stderr() {
    return stderr;
  }

  /** The {@code unshare} process. */
  ProcessHandle handle() {
    return unshare.toHandle();
  }

  /** What runs in the namespace besides {@code init}: the command and all it started. */
  List<ProcessHandle> commandProcesses() {
    try {
      return init.descendants().toList();
    } catch (RuntimeException e) {
      log.debug("cannot list the processes of launcher {}: {}", unshare.pid(), e.toString());
      return List.of();
    }
  }

  /** Kills it, and so its namespace; does not wait. */
  void destroy() {
    try {
      requests.close();
    } catch (IOException e) {
      log.debug("closing the requests of launcher {}: {}", unshare.pid(), e.getMessage());
    }
    unshare.destroyForcibly();
    init.destroyForcibly();
  }

  /**
   * Kills it and waits, up to {@code limit}, until {@code init} is dead (and so every process of
   * the namespace) and {@code unshare} too; returns those still running.
   */
  List<ProcessHandle> destroyAndAwait(Duration limit) throws InterruptedException {
    destroy();
    List<ProcessHandle> both = new ArrayList<>(List.of(init, unshare.toHandle()));
    return Processes.awaitDead(both, limit);
  }
}
