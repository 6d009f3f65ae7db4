package io.proteus.core.internal.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.proteus.EngineException;
import io.proteus.core.internal.results.ResultFiles;
import io.proteus.core.internal.util.Slugs;
import io.proteus.core.internal.util.Trees;
import io.proteus.model.CaseStatus;
import io.proteus.model.TestCaseResult;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Engine;
import io.proteus.spi.Exec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.Failure;
import io.proteus.spi.FailureKind;
import io.proteus.spi.OutputSink;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.jspecify.annotations.Nullable;

/**
 * One attempt on a local worker: a private workspace, the binary and scenario staged into it, the
 * metadata as {@code proteus/metadata.json} and environment variables, the command run through the
 * engine with its output in the attempt's log (kept under {@code logs/}, apart from the workspace),
 * and the results read back. Every exception from staging, the engine or reading becomes an
 * outcome; the workspace is deleted by {@link #removeWorkspace()}, after the attempt's end was
 * sent, unless asked to keep it. The scenario contract is in docs/scenario-contract.md.
 *
 * <p>The attempt keeps its own clocks, the same for every engine: past the run timeout (counted
 * from the call that starts the command), or once the command has printed nothing for the test's
 * no-output timeout, it is stopped and ends as timed out. Every stop, an abort included, is polite:
 * {@link Exec#stop} with the test's cancel grace, so the command can clean up before it is killed.
 * The engine's own timeout is set past the run timeout and the grace, as a backstop.
 */
public final class AttemptRun {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** How long past its timeout an engine may take to report a command's end. */
  static final Duration ENGINE_GRACE = Duration.ofSeconds(60);

  /** How long after an abort an engine may take to report the end. */
  static final Duration ABORT_GRACE = Duration.ofSeconds(30);

  /** The cancel grace of a dispatch that carries none (from a core that sends none). */
  public static final Duration DEFAULT_CANCEL_GRACE = Duration.ofSeconds(10);

  /** Why the attempt stopped its command, if it did. */
  private enum Stop {
    RUN_TIMEOUT,
    NO_OUTPUT
  }

  /**
   * How a worker runs its attempts.
   *
   * @param maxLogBytes the cap of each attempt's log
   * @param keepWorkspaces whether workspaces stay after their attempt, for debugging
   */
  public record Settings(long maxLogBytes, boolean keepWorkspaces) {
    /** The default log cap: 32 MiB. */
    public static final long DEFAULT_MAX_LOG_BYTES = 32L << 20;

    /** Checks. */
    public Settings {
      if (maxLogBytes < AttemptLog.MIN_BYTES) {
        throw new IllegalArgumentException(
            "the log cap must be at least " + AttemptLog.MIN_BYTES + " bytes: " + maxLogBytes);
      }
    }
  }

  private final DispatchRequest request;
  private final Settings settings;
  private final Path workspace;
  private final Path logFile;
  private final CompletableFuture<Void> abortSignal = new CompletableFuture<>();
  private volatile @Nullable Exec exec;
  private volatile @Nullable Thread starting;
  private volatile boolean aborted;
  private volatile boolean logged;
  private volatile long lastOutput = System.nanoTime();
  private final OutputSink live;

  /** An attempt with its workspace under {@code workRoot/work} and its log under logs. */
  public AttemptRun(DispatchRequest request, Path workRoot, Settings settings) {
    this(request, workRoot, settings, OutputSink.NONE);
  }

  /** As above, with every line the command prints also given to {@code live}. */
  public AttemptRun(DispatchRequest request, Path workRoot, Settings settings, OutputSink live) {
    this.live = live;
    this.request = request;
    this.settings = settings;
    String name =
        safe(request.task().job().value())
            + "-"
            + request.task().index()
            + "-a"
            + request.attempt()
            + "-"
            + request.fencingToken();
    this.workspace = workRoot.resolve("work").resolve(name);
    this.logFile = workRoot.resolve("logs").resolve(name + ".log");
  }

  /** Both sinks, and the time of the last line noted for the no-output timeout. */
  private OutputSink tee(OutputSink a, OutputSink b) {
    return new OutputSink() {
      @Override
      public void stdout(String line) {
        lastOutput = System.nanoTime();
        a.stdout(line);
        b.stdout(line);
      }

      @Override
      public void stderr(String line) {
        lastOutput = System.nanoTime();
        a.stderr(line);
        b.stderr(line);
      }
    };
  }

  /** How long a stopped command gets before it is killed. */
  Duration cancelGrace() {
    return request.test().cancelGrace().orElse(DEFAULT_CANCEL_GRACE);
  }

  private static String safe(String s) {
    return Slugs.of(s, 80);
  }

  /** What happened: a report when the command ran to its end, else why it could not. */
  public sealed interface Outcome {
    /** It ran. */
    record Ran(AttemptReport report) implements Outcome {}

    /** It ran past its timeout and every process of it was killed. */
    record TimedOut(String reason, Optional<String> log) implements Outcome {}

    /** It could not run, for the reason {@code failure} gives. */
    record Broken(Failure failure, Optional<String> log) implements Outcome {
      /** An engine error another attempt could get past. */
      Broken(String reason, Optional<String> log) {
        this(Failure.retryable(FailureKind.ENGINE_ERROR, reason), log);
      }

      /** Why it could not run. */
      public String reason() {
        return failure.message();
      }
    }

    /** It was aborted; nobody waits for a report. */
    record Aborted(Optional<String> log) implements Outcome {}
  }

  /**
   * Stages, runs and reads results. Blocks; call on a virtual thread. Returns an outcome for every
   * exception; an {@link Error} propagates, after the command is stopped and the workspace gone.
   */
  public Outcome run(Engine engine, Runnable onRunning, Runnable onUploading) {
    AttemptLog log;
    try {
      Workspaces.createPrivate(logFile.getParent());
      log = AttemptLog.create(logFile, settings.maxLogBytes());
      logged = true;
    } catch (IOException | RuntimeException e) {
      return new Outcome.Broken(
          "cannot create the attempt's log " + logFile + ": " + e, Optional.empty());
    }
    Optional<String> where = Optional.of(logFile.toString());
    try {
      Outcome o = runLogged(engine, log, onRunning, onUploading);
      switch (o) {
        case Outcome.Broken b -> log.note("could not run: " + b.reason());
        case Outcome.TimedOut t -> log.note(t.reason());
        case Outcome.Aborted a -> log.note("aborted");
        case Outcome.Ran r -> {}
      }
      return o;
    } catch (EngineException e) {
      log.note("could not run: " + e.getMessage());
      return new Outcome.Broken(e.failure(), where);
    } catch (IOException | UncheckedIOException e) {
      log.note("could not stage the files: " + e);
      return new Outcome.Broken("cannot stage files: " + e.getMessage(), where);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome.Aborted(where);
    } catch (RuntimeException e) {
      log.note("could not run: " + e);
      return new Outcome.Broken("the engine or the worker failed: " + e, where);
    } catch (Error e) {
      log.note("the worker failed: " + e);
      throw e;
    } finally {
      stopIfRunning();
      log.close();
    }
  }

  /**
   * Deletes the attempt's workspace, unless asked to keep workspaces. Called once the attempt's end
   * is on its way, so that deleting its folders (milliseconds on some disks) is not on the path
   * from the command's exit to its result. Idempotent; quiet about failures, which are logged.
   */
  public void removeWorkspace() {
    if (!settings.keepWorkspaces()) {
      Trees.deleteQuietly(workspace);
    }
  }

  private Outcome runLogged(Engine engine, AttemptLog log, Runnable onRunning, Runnable onUploading)
      throws IOException, InterruptedException {
    Optional<String> where = Optional.of(logFile.toString());
    Workspaces.createPrivate(workspace.getParent());
    Trees.deleteQuietly(workspace);
    Workspaces.createPrivate(workspace);
    Files.createDirectories(workspace.resolve("proteus"));
    Path results = Files.createDirectories(workspace.resolve("results"));
    Path binary = Workspaces.stage(request, workspace, request.test().binary());
    Optional<Path> scenario =
        request.test().scenario().isPresent()
            ? Optional.of(Workspaces.stage(request, workspace, request.test().scenario().get()))
            : Optional.empty();
    if (request.test().container().flatMap(c -> c.dockerfile()).isPresent()) {
      Workspaces.stage(request, workspace, request.test().container().get().dockerfile().get());
    }
    Path metadata = workspace.resolve("proteus/metadata.json");
    JSON.writeValue(metadata.toFile(), request.test().metadata());
    List<String> command =
        scenario.isPresent()
            ? Interpreters.command(scenario.get(), request.test().arguments())
            : concat(binary.toString(), request.test().arguments());
    if (aborted) {
      return new Outcome.Aborted(where);
    }
    Exec started;
    starting = Thread.currentThread();
    long startedAt = System.nanoTime();
    lastOutput = startedAt;
    try {
      started =
          engine.start(
              new ExecSpec(
                  command,
                  workspace,
                  Workspaces.environment(request, workspace, binary, metadata, results),
                  Optional.empty(),
                  backstop(),
                  tee(log, live),
                  request.test().container(),
                  Optional.of(request.task())));
    } catch (RuntimeException e) {
      if (aborted) {
        Thread.interrupted();
        return new Outcome.Aborted(where);
      }
      throw e;
    } finally {
      starting = null;
    }
    if (aborted) {
      Thread.interrupted();
    }
    exec = started;
    if (aborted) {
      started.stop(cancelGrace());
    }
    onRunning.run();
    ExitStatus status;
    Stop[] stop = new Stop[1];
    try {
      status = awaitExit(started, startedAt, stop);
    } catch (ExecutionException e) {
      return new Outcome.Broken("the engine failed: " + e.getCause(), where);
    } catch (TimeoutException e) {
      exec = null;
      return new Outcome.Broken(
          "the engine did not report the end of the command within "
              + (aborted || stop[0] != null ? ABORT_GRACE : ENGINE_GRACE).toSeconds()
              + " s of "
              + (aborted || stop[0] != null ? "its stop" : "its timeout"),
          where);
    }
    exec = null;
    if (aborted) {
      return new Outcome.Aborted(where);
    }
    if (stop[0] == Stop.NO_OUTPUT) {
      return new Outcome.TimedOut(
          "printed nothing for "
              + seconds(request.test().noOutputTimeout().orElseThrow())
              + " (its no-output timeout); stopped with a grace of "
              + seconds(cancelGrace())
              + ", every process of the attempt is gone",
          where);
    }
    if (stop[0] == Stop.RUN_TIMEOUT || status.timedOut()) {
      return new Outcome.TimedOut(
          "timed out after "
              + seconds(request.timeout())
              + "; stopped with a grace of "
              + seconds(cancelGrace())
              + ", every process of the attempt is gone",
          where);
    }
    if (status.aborted()) {
      return new Outcome.Aborted(where);
    }
    onUploading.run();
    List<TestCaseResult> cases = new ArrayList<>(readResults(results));
    if (status.outOfMemory()) {
      cases.add(
          new TestCaseResult(
              "out-of-memory",
              CaseStatus.FAILED,
              Optional.of("killed for passing its memory limit"),
              status.elapsed(),
              false));
    }
    return new Outcome.Ran(new AttemptReport(status.code(), cases, where, status.elapsed()));
  }

  /**
   * Waits for the end, stopping the command (politely, with the cancel grace) once it runs past its
   * timeout or prints nothing for its no-output timeout; {@code stop[0]} says which. After a stop
   * or an abort the engine gets the grace and {@link #ABORT_GRACE} to report the end; past the
   * engine's own timeout (the backstop), {@link #ENGINE_GRACE}.
   */
  private ExitStatus awaitExit(Exec started, long startedAt, Stop[] stop)
      throws InterruptedException, ExecutionException, TimeoutException {
    CompletableFuture<ExitStatus> exit = started.exit().toCompletableFuture();
    CompletableFuture<Object> endOrAbort = CompletableFuture.anyOf(exit, abortSignal);
    long runEnd = startedAt + saturatedNanos(request.timeout());
    Optional<Duration> silence = request.test().noOutputTimeout();
    while (!endOrAbort.isDone()) {
      long now = System.nanoTime();
      long next = runEnd;
      if (silence.isPresent() && lastOutput + saturatedNanos(silence.get()) - next < 0) {
        next = lastOutput + saturatedNanos(silence.get());
      }
      if (next - now > 0) {
        try {
          endOrAbort.get(next - now, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          // a deadline may have passed: looked at again below
        }
        continue;
      }
      stop[0] = now - runEnd >= 0 ? Stop.RUN_TIMEOUT : Stop.NO_OUTPUT;
      started.stop(cancelGrace());
      break;
    }
    long wait = saturatedSum(saturatedMillis(cancelGrace()), ABORT_GRACE.toMillis());
    if (stop[0] == null && !aborted) {
      wait = saturatedSum(saturatedMillis(backstop()), ENGINE_GRACE.toMillis());
    }
    try {
      return exit.get(wait, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      started.abort();
      return exit.get(ABORT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * The engine's own timeout: past the run timeout and the cancel grace, so that it fires only when
   * the attempt's polite stop could not end the command.
   */
  private Duration backstop() {
    Duration b = request.timeout();
    for (Duration d : List.of(cancelGrace(), ABORT_GRACE)) {
      try {
        b = b.plus(d);
      } catch (ArithmeticException e) {
        return Duration.ofSeconds(Long.MAX_VALUE);
      }
    }
    return b;
  }

  private static long saturatedSum(long a, long b) {
    return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return Math.min(d.toNanos(), Long.MAX_VALUE / 4);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }

  /** {@code 90s}, {@code 1.5s}, {@code 250ms}: short, exact, for reasons. */
  static String seconds(Duration d) {
    if (d.toMillis() < 1000 && !d.isZero()) {
      return d.toMillis() + "ms";
    }
    java.math.BigDecimal s =
        java.math.BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros();
    return s.toPlainString() + "s";
  }

  private static List<TestCaseResult> readResults(Path results) {
    try {
      return ResultFiles.read(results);
    } catch (RuntimeException | StackOverflowError e) {
      return List.of(
          new TestCaseResult(
              "unreadable result (results folder)",
              CaseStatus.FAILED,
              Optional.of("reading the results failed: " + e),
              Duration.ZERO,
              true));
    }
  }

  private void stopIfRunning() {
    Exec e = exec;
    if (e == null) {
      return;
    }
    e.abort();
    try {
      e.exit().toCompletableFuture().get(ABORT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException ignored) {
      // the engine broke its own contract; the outcome already says the attempt could not run
    }
  }

  private static long saturatedMillis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Marks the attempt aborted without touching the engine: it will end as {@link Outcome.Aborted}.
   * Quick; {@link #abort()} does the killing.
   */
  public void markAborted() {
    aborted = true;
    abortSignal.complete(null);
  }

  /**
   * Stops the command, if it runs, politely (with the cancel grace; see {@link Exec#stop}); the run
   * ends as {@link Outcome.Aborted}.
   */
  public void abort() {
    markAborted();
    Exec e = exec;
    if (e != null) {
      e.stop(cancelGrace());
      return;
    }
    Thread t = starting;
    if (t != null) {
      t.interrupt();
    }
  }

  /** Whether {@link #abort()} was called. */
  public boolean abortRequested() {
    return aborted;
  }

  /** The attempt's fencing token. */
  public long token() {
    return request.fencingToken();
  }

  /** Where the attempt's log is, once it was created. */
  public Optional<String> log() {
    return logged ? Optional.of(logFile.toString()) : Optional.empty();
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> out = new ArrayList<>();
    out.add(first);
    out.addAll(rest);
    return out;
  }
}
