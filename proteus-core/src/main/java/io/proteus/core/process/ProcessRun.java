package io.proteus.core.process;

import io.proteus.spi.Exec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command the process engine started. A waiter thread sees it end (or times it out, or kills it
 * on abort, or on a polite stop sends {@code SIGTERM} to every process of it and kills what is left
 * after the grace), then kills and awaits every process of the attempt, reads what is left of its
 * output for a short drain, and only then completes {@link #exit()}.
 */
final class ProcessRun implements Exec {
  private static final Logger log = LoggerFactory.getLogger(ProcessRun.class);
  static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private final Process process;
  private final ExecSpec spec;
  private final ProcessOptions options;
  private final String execEntry;
  private final boolean namespaced;
  private final Consumer<ProcessRun> onEnd;
  private final long started = System.nanoTime();
  private final AtomicBoolean aborted = new AtomicBoolean();
  private final CompletableFuture<Void> abortSignal = new CompletableFuture<>();
  private final CompletableFuture<Duration> stopSignal = new CompletableFuture<>();
  private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
  private final List<ProcessHandle> killed = new ArrayList<>();
  private LinePump out;
  private LinePump err;

  ProcessRun(
      Process process,
      ExecSpec spec,
      ProcessOptions options,
      String execEntry,
      boolean namespaced,
      Consumer<ProcessRun> onEnd) {
    this.process = process;
    this.namespaced = namespaced;
    this.spec = spec;
    this.options = options;
    this.execEntry = execEntry;
    this.onEnd = onEnd;
    this.out =
        new LinePump(
            process.getInputStream(), spec.output()::stdout, "stdout", options.maxLineBytes());
    this.err =
        new LinePump(
            process.getErrorStream(), spec.output()::stderr, "stderr", options.maxLineBytes());
  }

  void begin() {
    long pid = process.pid();
    Thread.ofVirtual().name("proteus-out-" + pid).start(out);
    Thread.ofVirtual().name("proteus-err-" + pid).start(err);
    if (spec.stdin().isPresent()) {
      byte[] bytes = spec.stdin().get();
      Thread.ofVirtual().name("proteus-in-" + pid).start(() -> feed(bytes));
    }
    Thread.ofVirtual().name("proteus-wait-" + pid).start(this::await);
  }

  private void feed(byte[] bytes) {
    try (OutputStream in = process.getOutputStream()) {
      in.write(bytes);
    } catch (IOException e) {
      log.debug("stdin of {} closed early: {}", process.pid(), e.getMessage());
    }
  }

  private void await() {
    boolean timedOut = false;
    int code = 137;
    try {
      CompletableFuture<Object> ended =
          CompletableFuture.anyOf(process.onExit(), abortSignal, stopSignal);
      try {
        ended.get(millis(spec.timeout()), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        timedOut = !aborted.get() && !stopSignal.isDone();
      } catch (ExecutionException e) {
        log.warn("waiting for {} failed", process.pid(), e);
      }
      if (stopSignal.isDone() && !abortSignal.isDone() && process.isAlive()) {
        terminate();
        try {
          CompletableFuture.anyOf(process.onExit(), abortSignal)
              .get(millis(stopSignal.join()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
          log.debug("command {} is still running after its grace; it is killed", pid());
        }
      }
      if (timedOut || aborted.get() || stopSignal.isDone()) {
        kill();
      }
      if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
      List<ProcessHandle> left = sweep();
      if (!left.isEmpty()) {
        log.warn("processes {} of command {} survived SIGKILL for {}", left, pid(), KILL_WAIT);
      }
      drain();
      if (process.isAlive()) {
        log.warn("command {} survived SIGKILL for {}", pid(), KILL_WAIT);
      } else {
        code = process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    } catch (RuntimeException | Error e) {
      log.error("the process engine failed while waiting for {}", pid(), e);
      kill();
    } finally {
      onEnd.accept(this);
      exit.complete(
          new ExitStatus(
              code,
              timedOut,
              aborted.get() || stopSignal.isDone(),
              Duration.ofNanos(System.nanoTime() - started)));
    }
  }

  private long pid() {
    return process.pid();
  }

  /**
   * Kills what is still left of the attempt and waits for it. In a PID namespace nothing is left
   * once its first process ended; else the processes are found by their environment.
   */
  private List<ProcessHandle> sweep() throws InterruptedException {
    List<ProcessHandle> all = new ArrayList<>();
    if (!namespaced) {
      List<ProcessHandle> carriers = Processes.carrying(execEntry);
      Processes.killAll(carriers);
      all.addAll(carriers);
    }
    synchronized (killed) {
      all.addAll(killed);
    }
    return Processes.awaitDead(all, KILL_WAIT);
  }

  private void drain() throws InterruptedException {
    long start = System.nanoTime();
    boolean outEnded = out.awaitEnd(options.drain());
    Duration left = options.drain().minusNanos(System.nanoTime() - start);
    boolean errEnded = err.awaitEnd(left.isNegative() ? Duration.ZERO : left);
    if (!outEnded) {
      out.stop(options.drain());
    }
    if (!errEnded) {
      err.stop(options.drain());
    }
  }

  /**
   * Asks every process of the command to end ({@code SIGTERM}): its tree, and outside a namespace
   * the command itself and every process that carries the attempt's mark. Never {@code unshare} or
   * a launcher, whose end would kill the namespace at once. Does not wait.
   */
  private void terminate() {
    Set<ProcessHandle> targets = new LinkedHashSet<>();
    try {
      if (!namespaced) {
        targets.add(process.toHandle());
      }
      targets.addAll(process.descendants().toList());
      if (!namespaced) {
        targets.addAll(Processes.carrying(execEntry));
      }
    } catch (RuntimeException e) {
      log.debug("cannot list the processes of {}: {}", pid(), e.toString());
    }
    for (ProcessHandle h : targets) {
      try {
        h.destroy();
      } catch (RuntimeException e) {
        log.debug("cannot signal process {}: {}", h.pid(), e.toString());
      }
    }
  }

  /** Kills the command and every process of its tree and of the attempt. Does not wait. */
  private void kill() {
    List<ProcessHandle> targets = new ArrayList<>();
    try {
      targets.addAll(process.descendants().toList());
    } catch (RuntimeException e) {
      log.debug("cannot list the processes of {}: {}", pid(), e.toString());
    }
    process.destroyForcibly();
    Processes.killAll(targets);
    if (!namespaced) {
      try {
        List<ProcessHandle> carriers = Processes.carrying(execEntry);
        Processes.killAll(carriers);
        targets.addAll(carriers);
      } catch (RuntimeException e) {
        log.debug("cannot look for the processes of {}: {}", pid(), e.toString());
      }
    }
    synchronized (killed) {
      killed.addAll(targets);
    }
  }

  private static long millis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public CompletionStage<ExitStatus> exit() {
    return exit;
  }

  @Override
  public void abort() {
    if (aborted.compareAndSet(false, true)) {
      abortSignal.complete(null);
    }
  }

  @Override
  public void stop(Duration grace) {
    stopSignal.complete(grace.isNegative() ? Duration.ZERO : grace);
  }
}
