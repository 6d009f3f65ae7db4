package io.proteus.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.command.WaitContainerResultCallback;
import io.proteus.EngineException;
import io.proteus.core.archive.ArchiveExtractor;
import io.proteus.core.archive.ArchiveLimits;
import io.proteus.docker.DockerExec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.OutputSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task container: attached before it starts so no output is lost, both streams split into lines
 * apart, waited for with the task's timeout (then killed), inspected for an out-of-memory kill, and
 * removed.
 */
public final class ContainerRun implements DockerExec {
  private static final Logger log = LoggerFactory.getLogger(ContainerRun.class);

  private final DockerClient client;
  private final String id;
  private final ExecSpec spec;
  private final Runnable onDone;
  private final long started = System.nanoTime();
  private final AtomicBoolean aborted = new AtomicBoolean();
  private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();

  public ContainerRun(DockerClient client, String id, ExecSpec spec, Runnable onDone) {
    this.client = client;
    this.id = id;
    this.spec = spec;
    this.onDone = onDone;
  }

  @Override
  public String containerId() {
    return id;
  }

  @Override
  public ExitStatus exec(List<String> command, OutputSink output, Duration timeout) {
    long t0 = System.nanoTime();
    String execId;
    try {
      execId =
          client
              .execCreateCmd(id)
              .withCmd(command.toArray(String[]::new))
              .withAttachStdout(true)
              .withAttachStderr(true)
              .exec()
              .getId();
    } catch (DockerException e) {
      throw new EngineException(
          "cannot run " + command + " in container " + id + ": " + e.getMessage(), e);
    }
    LineSplitter out = new LineSplitter(output::stdout);
    LineSplitter err = new LineSplitter(output::stderr);
    boolean done;
    try {
      done =
          client
              .execStartCmd(execId)
              .exec(
                  new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                      if (frame.getStreamType() == StreamType.STDERR) {
                        err.accept(frame.getPayload());
                      } else {
                        out.accept(frame.getPayload());
                      }
                    }
                  })
              .awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted while running " + command + " in container " + id, e);
    }
    out.finish();
    err.finish();
    Long code = done ? client.inspectExecCmd(execId).exec().getExitCodeLong() : null;
    return new ExitStatus(
        code == null ? 137 : code.intValue(),
        !done,
        false,
        Duration.ofNanos(System.nanoTime() - t0));
  }

  @Override
  public void archive(String containerPath, Path target) {
    Path tar;
    try {
      tar = Files.createTempFile("proteus-archive", ".tar");
    } catch (java.io.IOException e) {
      throw new EngineException("cannot make a temporary file: " + e.getMessage(), e);
    }
    try (var in = client.copyArchiveFromContainerCmd(id, containerPath).exec()) {
      Files.copy(in, tar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      new ArchiveExtractor(ArchiveLimits.DEFAULT).extract(tar, target);
    } catch (java.io.IOException | DockerException e) {
      throw new EngineException(
          "cannot copy " + containerPath + " out of container " + id + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(tar);
      } catch (java.io.IOException ignored) {
        // a temp file
      }
    }
  }

  /** Attaches, starts, and waits on a virtual thread. */
  public void begin() {
    LineSplitter out = new LineSplitter(spec.output()::stdout);
    LineSplitter err = new LineSplitter(spec.output()::stderr);
    var attach =
        client
            .attachContainerCmd(id)
            .withStdOut(true)
            .withStdErr(true)
            .withFollowStream(true)
            .withLogs(true);
    ResultCallback.Adapter<Frame> streams =
        attach.exec(
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
      streams.awaitStarted(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.startContainerCmd(id).exec();
    Thread.ofVirtual()
        .name("proteus-container-" + id.substring(0, 12))
        .start(() -> finish(streams, out, err));
  }

  private void finish(ResultCallback.Adapter<Frame> streams, LineSplitter out, LineSplitter err) {
    ExitStatus status =
        new ExitStatus(137, false, aborted.get(), Duration.ofNanos(System.nanoTime() - started));
    try {
      boolean timedOut = false;
      Integer code = null;
      try {
        code = waitFor(spec.timeout());
      } catch (DockerClientException e) {
        timedOut = !aborted.get();
        kill();
      }
      if (code == null) {
        code = waitFor(Duration.ofMinutes(1).plus(spec.timeout()));
      }
      try {
        streams.awaitCompletion(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.finish();
      err.finish();
      boolean oom = false;
      try {
        InspectContainerResponse.ContainerState state =
            client.inspectContainerCmd(id).exec().getState();
        oom = Boolean.TRUE.equals(state.getOOMKilled());
      } catch (DockerException e) {
        log.debug("cannot inspect container {}: {}", id, e.getMessage());
      }
      status =
          new ExitStatus(
              code == null ? 137 : code,
              timedOut,
              aborted.get(),
              Duration.ofNanos(System.nanoTime() - started),
              oom);
    } catch (RuntimeException e) {
      log.error("lost track of container {}; reporting it as killed", id, e);
    } finally {
      remove();
      onDone.run();
      exit.complete(status);
    }
  }

  private Integer waitFor(Duration limit) {
    try {
      return client
          .waitContainerCmd(id)
          .exec(new WaitContainerResultCallback())
          .awaitStatusCode(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (DockerClientException e) {
      if (limit.compareTo(spec.timeout()) == 0) {
        throw e;
      }
      return null;
    }
  }

  private void kill() {
    try {
      client.killContainerCmd(id).exec();
    } catch (DockerException e) {
      log.debug("kill of {} failed (it may have ended): {}", id, e.getMessage());
    }
  }

  private void remove() {
    try {
      client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (DockerException e) {
      log.warn("cannot remove container {}: {}", id, e.getMessage());
    }
  }

  @Override
  public CompletionStage<ExitStatus> exit() {
    return exit;
  }

  @Override
  public void abort() {
    if (aborted.compareAndSet(false, true)) {
      kill();
    }
  }
}
