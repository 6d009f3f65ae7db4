package io.proteus.core.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command on a {@link Launcher}, as a {@link Process} for {@link ProcessRun}: its output is the
 * launcher's streams up to the command's marker, it has exited once the marker and exit code came
 * on stdout, the namespace holds nothing but the launcher's shell, and the launcher echoed a nonce
 * sent only then (so every process it left is dead, and the end is the launcher's, not one the
 * command forged with a marker it read), and destroying it kills what runs in the namespace, not
 * the launcher. A launcher that breaks (its stream ends or fails before the marker, the code is
 * malformed) is killed, with its namespace, before the exit is known; the command then ends as
 * killed by {@code SIGKILL}, with code 137.
 */
final class WarmProcess extends Process {
  private static final Logger log = LoggerFactory.getLogger(WarmProcess.class);
  private static final Pattern CODE = Pattern.compile(" (\\d{1,3})");

  /**
   * The code of a command whose launcher broke: the namespace was killed under it, as {@code
   * SIGKILL} would.
   */
  static final int KILLED = 137;

  private final Launcher launcher;
  private final String nonce;
  private final MarkedStream out;
  private final MarkedStream err;
  private final CompletableFuture<Process> exited = new CompletableFuture<>();
  private final AtomicInteger kills = new AtomicInteger();
  private volatile int code = -1;
  private volatile boolean broken;

  /**
   * A command that runs on {@code launcher} and ends at {@code marker}; {@code nonce}, as
   * unguessable, confirms the end.
   */
  WarmProcess(Launcher launcher, String marker, String nonce) {
    this.launcher = launcher;
    this.nonce = nonce;
    byte[] bytes = MarkedStream.markerBytes(marker);
    this.out = new MarkedStream(launcher.stdout(), bytes, this::outEnded);
    this.err = new MarkedStream(launcher.stderr(), bytes, this::errEnded);
  }

  private void outEnded(@Nullable String trailer) {
    if (trailer != null) {
      var m = CODE.matcher(trailer);
      if (m.matches() && Integer.parseInt(m.group(1)) <= 255) {
        if (confirmed()) {
          code = Integer.parseInt(m.group(1));
          exited.complete(this);
          return;
        }
        log.warn("launcher {} did not confirm a command's end; it is killed", pid());
      } else {
        log.warn("launcher {} ended a command with a malformed code: '{}'", pid(), trailer);
      }
    } else {
      log.debug("launcher {} ended without the command's marker", pid());
    }
    breakDown();
  }

  private void errEnded(@Nullable String trailer) {
    if (trailer == null || !trailer.isEmpty()) {
      log.debug("launcher {} ended stderr without the command's marker", pid());
      broken = true;
    }
  }

  /**
   * Whether the end on stdout is the launcher's: nothing came after it, the namespace emptied, and
   * the launcher echoed the nonce next.
   */
  private boolean confirmed() {
    try {
      return out.clean() && launcher.awaitEmpty() && launcher.confirm(nonce);
    } catch (IOException | RuntimeException e) {
      log.debug("launcher {} could not confirm an end: {}", pid(), e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Kills the launcher and its namespace, then says the command exited. */
  private void breakDown() {
    broken = true;
    Thread.ofVirtual()
        .name("proteus-launcher-down-" + pid())
        .start(() -> {
          try {
            List<ProcessHandle> left = launcher.destroyAndAwait(ProcessRun.KILL_WAIT);
            if (!left.isEmpty()) {
              log.warn("launcher {} survived SIGKILL for {}", left, ProcessRun.KILL_WAIT);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            exited.complete(this);
          }
        });
  }

  /**
   * Whether the launcher can run another command: both markers came, nothing after them, and it was
   * never killed. Asked once the run's pumps ended.
   */
  boolean clean() {
    return !broken && code >= 0 && out.clean() && err.clean();
  }

  Launcher launcher() {
    return launcher;
  }

  @Override
  public OutputStream getOutputStream() {
    return OutputStream.nullOutputStream();
  }

  @Override
  public InputStream getInputStream() {
    return out;
  }

  @Override
  public InputStream getErrorStream() {
    return err;
  }

  @Override
  public int waitFor() throws InterruptedException {
    try {
      exited.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    return exitValue();
  }

  @Override
  public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      exited.get(timeout, unit);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public CompletableFuture<Process> onExit() {
    return exited;
  }

  @Override
  public boolean isAlive() {
    return !exited.isDone();
  }

  @Override
  public int exitValue() {
    if (!exited.isDone()) {
      throw new IllegalThreadStateException("the command has not exited");
    }
    int c = code;
    return c >= 0 ? c : KILLED;
  }

  /**
   * Kills the command and all it started, and the launcher only when there is no command to kill
   * (it has not forked yet) or a kill did not end it.
   */
  @Override
  public void destroy() {
    if (exited.isDone()) {
      return;
    }
    List<ProcessHandle> inside =
        kills.getAndIncrement() == 0 ? launcher.commandProcesses() : List.of();
    if (inside.isEmpty()) {
      broken = true;
      launcher.destroy();
    } else {
      Processes.killAll(inside);
    }
  }

  @Override
  public Process destroyForcibly() {
    destroy();
    return this;
  }

  @Override
  public boolean supportsNormalTermination() {
    return false;
  }

  @Override
  public long pid() {
    return launcher.handle().pid();
  }

  @Override
  public ProcessHandle toHandle() {
    return launcher.handle();
  }

  @Override
  public Stream<ProcessHandle> children() {
    return launcher.commandProcesses().stream();
  }

  @Override
  public Stream<ProcessHandle> descendants() {
    return launcher.commandProcesses().stream();
  }
}
