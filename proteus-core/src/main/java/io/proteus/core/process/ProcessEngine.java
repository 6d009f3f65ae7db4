package io.proteus.core.process;

import io.proteus.EngineException;
import io.proteus.spi.Engine;
import io.proteus.spi.Exec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands as local processes: in the workspace, with the engine's environment plus the
 * spec's, output streamed line by line, and a timeout or abort that kills the process and every
 * process it started. No isolation beyond the workspace: use it for trusted builds or inside a
 * machine that is itself the sandbox.
 */
public final class ProcessEngine implements Engine {
  private static final Logger log = LoggerFactory.getLogger(ProcessEngine.class);
  private final Set<Running> running = ConcurrentHashMap.newKeySet();

  /** An engine; one per worker, though it is thread-safe. */
  public ProcessEngine() {}

  @Override
  public Exec start(ExecSpec spec) {
    ProcessBuilder pb = new ProcessBuilder(spec.command()).directory(spec.workspace().toFile());
    pb.environment().putAll(spec.environment());
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new EngineException(
          "cannot start " + spec.command().getFirst() + ": " + e.getMessage(), e);
    }
    Running r = new Running(process, spec);
    running.add(r);
    r.begin();
    return r;
  }

  @Override
  public void close() {
    running.forEach(Running::abort);
  }

  /** Kills a process and every process it started. */
  static void killTree(ProcessHandle root) {
    List<ProcessHandle> kids = root.descendants().toList();
    root.destroyForcibly();
    kids.forEach(ProcessHandle::destroyForcibly);
  }

  private final class Running implements Exec {
    private final Process process;
    private final ExecSpec spec;
    private final long started = System.nanoTime();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();

    Running(Process process, ExecSpec spec) {
      this.process = process;
      this.spec = spec;
    }

    void begin() {
      Thread out = pump(process.getInputStream(), spec.output()::stdout);
      Thread err = pump(process.getErrorStream(), spec.output()::stderr);
      Thread.ofVirtual().start(() -> feedStdin());
      Thread.ofVirtual().name("proteus-wait-" + process.pid()).start(() -> await(out, err));
    }

    private void feedStdin() {
      try (OutputStream in = process.getOutputStream()) {
        if (spec.stdin().isPresent()) {
          in.write(spec.stdin().get());
        }
      } catch (IOException e) {
        log.debug("stdin of {} closed early: {}", process.pid(), e.getMessage());
      }
    }

    private void await(Thread out, Thread err) {
      boolean timedOut = false;
      try {
        if (!process.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
          timedOut = !aborted.get();
          killTree(process.toHandle());
          process.waitFor();
        }
        out.join(Duration.ofSeconds(5));
        err.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        killTree(process.toHandle());
      }
      running.remove(this);
      int code = process.isAlive() ? 137 : process.exitValue();
      exit.complete(
          new ExitStatus(
              code, timedOut, aborted.get(), Duration.ofNanos(System.nanoTime() - started)));
    }

    @Override
    public CompletionStage<ExitStatus> exit() {
      return exit;
    }

    @Override
    public void abort() {
      if (aborted.compareAndSet(false, true)) {
        killTree(process.toHandle());
      }
    }
  }

  private static Thread pump(InputStream stream, Consumer<String> sink) {
    return Thread.ofVirtual()
        .start(() -> {
          try (BufferedReader r =
              new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
              sink.accept(line);
            }
          } catch (IOException e) {
            log.debug("output stream closed: {}", e.getMessage());
          }
        });
  }
}
