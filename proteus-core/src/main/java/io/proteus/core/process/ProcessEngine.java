package io.proteus.core.process;

import io.proteus.EngineException;
import io.proteus.spi.Engine;
import io.proteus.spi.Exec;
import io.proteus.spi.ExecSpec;
import java.io.File;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands as local processes: in the workspace, with a clean environment (a short allowlist
 * of host variables, those the options pass, and the spec's), output streamed line by line under a
 * line cap, and every process a command starts contained so that it dies with the command: on Linux
 * in a PID namespace where the machine allows one (kept warm between commands, one per command
 * running at once, and killed by {@link #close()}), else by killing the process tree (see {@link
 * Containment}). No isolation beyond that and the workspace: use it for trusted builds or inside a
 * machine that is itself the sandbox. The behaviour is in docs/scenario-contract.md.
 */
public final class ProcessEngine implements Engine {
  /** The variable that marks every process of one command, so that none is left behind. */
  public static final String EXEC_ID = "PROTEUS_EXEC_ID";

  private static final Logger log = LoggerFactory.getLogger(ProcessEngine.class);
  private static final File DEV_NULL = new File("/dev/null");

  /** Kills the idle launchers of an engine nobody closed, once it is unreachable. */
  private static final Cleaner CLEANER = Cleaner.create();

  private final Set<ProcessRun> running = ConcurrentHashMap.newKeySet();
  private final ProcessOptions options;
  private final Map<String, String> host;
  private final @Nullable Isolation isolation;
  private final @Nullable EngineException unavailable;
  private final @Nullable LauncherPool launchers;
  private volatile boolean warmFailed;
  private final AtomicInteger warmStarts = new AtomicInteger();

  /** An engine with the {@linkplain ProcessOptions#defaults() default options}. */
  public ProcessEngine() {
    this(ProcessOptions.defaults());
  }

  /** An engine with these options; one per worker, though it is thread-safe. */
  public ProcessEngine(ProcessOptions options) {
    this(options, System.getenv());
  }

  /** An engine that sees {@code host} as the host's environment. */
  ProcessEngine(ProcessOptions options, Map<String, String> host) {
    this(options, host, true);
  }

  /**
   * An engine that runs its namespaced commands on warm launchers when {@code warm}, else starts a
   * namespace for each command, as it does where a launcher cannot start.
   */
  ProcessEngine(ProcessOptions options, Map<String, String> host, boolean warm) {
    this.options = options;
    this.host = Map.copyOf(host);
    Isolation chosen = null;
    EngineException why = null;
    try {
      chosen = Isolation.choose(options.containment());
    } catch (EngineException e) {
      why = e;
    }
    this.isolation = chosen;
    this.unavailable = why;
    Optional<Path> shell = Launcher.shell();
    this.launchers =
        warm && chosen != null && chosen.namespaced() && shell.isPresent()
            ? new LauncherPool(chosen, shell.get())
            : null;
    if (launchers != null) {
      CLEANER.register(this, launchers::close);
    }
  }

  /**
   * An engine whose every command starts a namespace of its own: the path warm launchers replace.
   */
  static ProcessEngine perCommand(ProcessOptions options) {
    return new ProcessEngine(options, System.getenv(), false);
  }

  /** The options it runs with. */
  public ProcessOptions options() {
    return options;
  }

  /** Whether its commands run in their own PID namespaces. */
  public boolean namespaced() {
    return isolation != null && isolation.namespaced();
  }

  @Override
  public Exec start(ExecSpec spec) {
    if (isolation == null) {
      throw unavailable == null ? new EngineException("no containment") : unavailable;
    }
    String execId = UUID.randomUUID().toString();
    Map<String, String> env = environment(spec, execId);
    List<String> command = Launchable.resolve(spec.command(), env, spec.workspace());
    LauncherPool pool = launchers;
    if (pool != null
        && !warmFailed
        && spec.stdin().isEmpty()
        && DEV_NULL.exists()
        && TaskScript.fits(command, env, spec.workspace())) {
      Exec exec = startWarm(pool, spec, command, env, execId);
      if (exec != null) {
        return exec;
      }
    }
    return startDirect(isolation, spec, command, env, execId);
  }

  /** Runs the command on a warm launcher; {@code null} when none can take it. */
  private @Nullable Exec startWarm(
      LauncherPool pool,
      ExecSpec spec,
      List<String> command,
      Map<String, String> env,
      String execId) {
    Launcher launcher;
    try {
      launcher = pool.acquire();
    } catch (IOException | RuntimeException e) {
      if (!warmFailed) {
        warmFailed = true;
        log.warn(
            "cannot start a warm launcher ({}); each command starts its own PID namespace",
            e.getMessage());
      }
      return null;
    }
    String marker = pool.marker();
    TaskScript script;
    try {
      script =
          TaskScript.write(
              pool.folder(), execId, spec.workspace(), env, command, DEV_NULL.toPath());
    } catch (IOException | RuntimeException e) {
      log.debug("cannot write the script of {}: {}", command.getFirst(), e.toString());
      pool.release(launcher, true);
      return null;
    }
    try {
      launcher.send(marker, script.path());
    } catch (IOException | RuntimeException e) {
      log.debug("launcher {} took no request: {}", launcher.handle().pid(), e.toString());
      script.delete();
      pool.discard(launcher);
      return null;
    }
    WarmProcess process = new WarmProcess(launcher, marker, pool.marker());
    warmStarts.incrementAndGet();
    return follow(
        process,
        spec,
        command,
        execId,
        () -> {
          script.delete();
          pool.release(launcher, process.clean());
        });
  }

  /** Runs the command as a process of its own, in a PID namespace of its own when namespaced. */
  private Exec startDirect(
      Isolation isolation,
      ExecSpec spec,
      List<String> command,
      Map<String, String> env,
      String execId) {
    ProcessBuilder pb =
        new ProcessBuilder(isolation.wrap(command)).directory(spec.workspace().toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    if (spec.stdin().isEmpty() && DEV_NULL.exists()) {
      pb.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    }
    Process process;
    try {
      process = pb.start();
    } catch (IOException | RuntimeException e) {
      throw new EngineException("cannot start " + command.getFirst() + ": " + e.getMessage(), e);
    }
    return follow(process, spec, command, execId, () -> {});
  }

  private Exec follow(
      Process process, ExecSpec spec, List<String> command, String execId, Runnable ended) {
    ProcessRun run = null;
    try {
      run =
          new ProcessRun(
              process,
              spec,
              options,
              EXEC_ID + "=" + execId,
              isolation != null && isolation.namespaced(),
              r -> {
                running.remove(r);
                ended.run();
              });
      running.add(run);
      run.begin();
      return run;
    } catch (RuntimeException | OutOfMemoryError e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      if (run != null) {
        running.remove(run);
      }
      ended.run();
      throw new EngineException("cannot follow " + command.getFirst() + ": " + e, e);
    }
  }

  /**
   * The command's environment: the host's allowlisted and passed variables, then the spec's, then
   * {@link #EXEC_ID}. Refuses names and values a process cannot carry.
   */
  Map<String, String> environment(ExecSpec spec, String execId) {
    Map<String, String> env = new TreeMap<>();
    host.forEach((k, v) -> {
      if (options.passes(k)) {
        env.put(k, v);
      }
    });
    env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
    spec.environment()
        .forEach((k, v) -> {
          if (k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0) {
            throw new EngineException(
                "cannot start "
                    + spec.command().getFirst()
                    + ": '"
                    + k.replace("\0", "\\0")
                    + "' is not a valid environment variable name");
          }
          if (v.indexOf('\0') >= 0) {
            throw new EngineException(
                "cannot start "
                    + spec.command().getFirst()
                    + ": the value of environment variable "
                    + k
                    + " holds a NUL character");
          }
          env.put(k, v);
        });
    env.put(EXEC_ID, execId);
    return env;
  }

  /** How many warm launchers it started; 0 when its commands start their own namespaces. */
  int launchersStarted() {
    return launchers == null ? 0 : launchers.started();
  }

  /** The private folder of its launchers' scripts, while there is one. */
  @Nullable Path scriptFolder() {
    return launchers == null ? null : launchers.currentFolder();
  }

  /** How many commands it ran on warm launchers. */
  int warmStarts() {
    return warmStarts.get();
  }

  /** The {@code unshare} processes of its warm launchers alive now. */
  List<ProcessHandle> launchers() {
    return launchers == null ? List.of() : launchers.launchers();
  }

  /** Aborts every running command and kills the idle launchers. */
  @Override
  public void close() {
    running.forEach(ProcessRun::abort);
    if (launchers != null) {
      launchers.close();
    }
  }
}
