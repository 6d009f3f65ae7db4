package io.proteus.docker.internal;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.WaitResponse;
import io.proteus.EngineException;
import io.proteus.core.archive.ArchiveLimits;
import io.proteus.docker.DockerExec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.OutputSink;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task container: attached before it starts (without replaying logs, which could repeat lines
 * the live stream also gives), both streams split into capped lines apart, waited for with the
 * task's timeout, inspected for an out-of-memory kill, and removed. A polite {@link #stop} sends
 * the container {@code SIGTERM}, as {@code docker stop} does, and kills it only once the grace is
 * over. After a timeout, an abort, an unheeded stop or a lost daemon connection it is killed, and
 * its exit completes only once the container is confirmed dead (removed, or seen stopped), or the
 * kill timeout has passed; then what the task held is released. The exit always completes,
 * normally.
 */
public final class ContainerRun implements DockerExec {
  private static final Logger log = LoggerFactory.getLogger(ContainerRun.class);

  private final Daemon daemon;
  private final String id;
  private final ExecSpec spec;
  private final Duration timeout;
  private final EngineSettings settings;
  private final Runnable release;
  private final long started = System.nanoTime();
  private final AtomicBoolean aborted = new AtomicBoolean();
  private final CompletableFuture<Void> abortSignal = new CompletableFuture<>();
  private final CompletableFuture<Duration> stopSignal = new CompletableFuture<>();
  private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();

  /**
   * A run of container {@code id}, which must be created and not started; {@code release} frees
   * what the task holds once the container is gone.
   */
  public ContainerRun(
      Daemon daemon,
      String id,
      ExecSpec spec,
      Duration timeout,
      EngineSettings settings,
      Runnable release) {
    this.daemon = daemon;
    this.id = id;
    this.spec = spec;
    this.timeout = timeout;
    this.settings = settings;
    this.release = release;
  }

  @Override
  public String containerId() {
    return id;
  }

  @Override
  public ExitStatus exec(List<String> command, OutputSink output, Duration limit) {
    try {
      return ExecIn.run(daemon, id, command, output, limit, settings.maxLineBytes());
    } catch (EngineException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new EngineException(
          "cannot run " + command + " in container " + id + ": " + Errors.describe(e), e);
    }
  }

  @Override
  public void archive(String containerPath, Path target) {
    archive(containerPath, target, settings.archiveLimits());
  }

  @Override
  public void archive(String containerPath, Path target, ArchiveLimits limits) {
    CopyOut.copy(daemon, id, containerPath, target, limits);
  }

  /**
   * Attaches, starts, and waits on a virtual thread.
   *
   * @throws EngineException when the container cannot be attached or started; the caller removes it
   */
  public void begin() {
    LineSplitter out = new LineSplitter(spec.output()::stdout, settings.maxLineBytes());
    LineSplitter err = new LineSplitter(spec.output()::stderr, settings.maxLineBytes());
    ResultCallback.Adapter<Frame> streams =
        daemon
            .streams()
            .attachContainerCmd(id)
            .withStdOut(true)
            .withStdErr(true)
            .withFollowStream(true)
            .withLogs(false)
            .exec(
                new ResultCallback.Adapter<>() {
                  @Override
                  public void onNext(Frame frame) {
                    if (frame.getStreamType() == StreamType.STDERR) {
                      err.accept(frame.getPayload());
                    } else if (frame.getStreamType() == StreamType.STDOUT
                        || frame.getStreamType() == StreamType.RAW) {
                      out.accept(frame.getPayload());
                    }
                  }
                });
    try {
      if (!streams.awaitStarted(30, TimeUnit.SECONDS)) {
        closeQuietly(streams);
        throw new EngineException("cannot attach to container " + id + " within 30 s");
      }
      daemon.calls().startContainerCmd(id).exec();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(streams);
      throw new EngineException("interrupted while starting container " + id, e);
    } catch (RuntimeException e) {
      closeQuietly(streams);
      throw e;
    }
    Thread.ofVirtual()
        .name("proteus-container-" + id.substring(0, Math.min(12, id.length())))
        .start(() -> finish(streams, out, err));
  }

  private enum Ending {
    EXITED,
    TIMED_OUT,
    ABORTED,
    LOST
  }

  private void finish(ResultCallback.Adapter<Frame> streams, LineSplitter out, LineSplitter err) {
    ExitStatus status = null;
    boolean timedOut = false;
    try {
      WaitCallback wait = daemon.streams().waitContainerCmd(id).exec(new WaitCallback());
      Integer code;
      Ending ending;
      try {
        code = awaitExit(wait.code);
        ending = Ending.EXITED;
      } catch (TimeoutException e) {
        code = null;
        ending = stopped() ? Ending.ABORTED : Ending.TIMED_OUT;
      } catch (ExecutionException e) {
        code = null;
        ending = stopped() ? Ending.ABORTED : Ending.LOST;
        if (ending == Ending.LOST) {
          log.warn("lost the wait on container {}: {}", id, Errors.describe(e.getCause()));
        }
      }
      timedOut = ending == Ending.TIMED_OUT;
      if (code == null) {
        code = new Reaping(daemon, id, settings.killTimeout()).killUntilDead(wait.code);
      }
      closeQuietly(wait);
      try {
        streams.awaitCompletion(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        log.debug("the output of container {} ended badly: {}", id, Errors.describe(e));
      }
      closeQuietly(streams);
      out.finish();
      err.finish();
      status =
          new ExitStatus(code == null ? 137 : code, timedOut, stopped(), elapsed(), outOfMemory());
    } catch (RuntimeException e) {
      log.error("lost track of container {}; reporting it as killed", id, e);
    } finally {
      complete(status, timedOut);
    }
  }

  private void complete(ExitStatus status, boolean timedOut) {
    try {
      new Reaping(daemon, id, settings.killTimeout()).removeUntilGone();
    } catch (RuntimeException e) {
      log.error("cannot remove container {}", id, e);
    }
    try {
      release.run();
    } catch (RuntimeException e) {
      log.error("cannot release what the task in container {} held", id, e);
    } finally {
      exit.complete(status != null ? status : new ExitStatus(137, timedOut, stopped(), elapsed()));
    }
  }

  private boolean stopped() {
    return aborted.get() || stopSignal.isDone();
  }

  /**
   * The exit code, or a timeout (task timeout, abort, or a stop the container did not heed within
   * its grace), or the wait's failure.
   */
  private Integer awaitExit(CompletableFuture<Integer> code)
      throws TimeoutException, ExecutionException {
    try {
      CompletableFuture.anyOf(code, abortSignal, stopSignal)
          .get(EngineSettings.millis(timeout), TimeUnit.MILLISECONDS);
      if (!code.isDone() && stopSignal.isDone() && !abortSignal.isDone()) {
        terminate();
        CompletableFuture.anyOf(code, abortSignal)
            .get(EngineSettings.millis(stopSignal.join()), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimeoutException("interrupted");
    } catch (ExecutionException e) {
      if (!code.isCompletedExceptionally()) {
        throw new TimeoutException("aborted");
      }
      throw e;
    }
    if (!code.isDone()) {
      throw new TimeoutException("aborted");
    }
    try {
      return code.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimeoutException("interrupted");
    }
  }

  /** Sends the container {@code SIGTERM}; one that is gone or stopped already needs none. */
  private void terminate() {
    try {
      daemon.calls().killContainerCmd(id).withSignal("TERM").exec();
    } catch (RuntimeException e) {
      log.debug("SIGTERM to container {} failed: {}", id, Errors.describe(e));
    }
  }

  private boolean outOfMemory() {
    try {
      InspectContainerResponse.ContainerState state =
          daemon.calls().inspectContainerCmd(id).exec().getState();
      return Boolean.TRUE.equals(state.getOOMKilled());
    } catch (NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      log.debug("cannot inspect container {}: {}", id, Errors.describe(e));
      return false;
    }
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.debug("cannot close a stream: {}", e.getMessage());
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

  /** Completes {@link #code} with the container's exit code, or with the wait's failure. */
  static final class WaitCallback extends ResultCallback.Adapter<WaitResponse> {
    final CompletableFuture<Integer> code = new CompletableFuture<>();

    @Override
    public void onNext(WaitResponse response) {
      Integer c = response.getStatusCode();
      code.complete(c == null ? 137 : c);
    }

    @Override
    public void onError(Throwable throwable) {
      code.completeExceptionally(throwable);
      super.onError(throwable);
    }

    @Override
    public void onComplete() {
      code.completeExceptionally(new EngineException("the wait ended without an exit code"));
      super.onComplete();
    }
  }
}
