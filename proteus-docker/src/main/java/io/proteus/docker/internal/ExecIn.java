package io.proteus.docker.internal;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.proteus.EngineException;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.OutputSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Another command in a running task container, with its output in capped lines and a limit. */
final class ExecIn {
  private ExecIn() {}

  static ExitStatus run(
      Daemon daemon,
      String container,
      List<String> command,
      OutputSink output,
      Duration limit,
      int maxLineBytes) {
    long t0 = System.nanoTime();
    String execId =
        daemon
            .calls()
            .execCreateCmd(container)
            .withCmd(command.toArray(String[]::new))
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    LineSplitter out = new LineSplitter(output::stdout, maxLineBytes);
    LineSplitter err = new LineSplitter(output::stderr, maxLineBytes);
    ResultCallback.Adapter<Frame> frames =
        daemon
            .streams()
            .execStartCmd(execId)
            .exec(
                new ResultCallback.Adapter<>() {
                  @Override
                  public void onNext(Frame frame) {
                    if (frame.getStreamType() == StreamType.STDERR) {
                      err.accept(frame.getPayload());
                    } else {
                      out.accept(frame.getPayload());
                    }
                  }
                });
    boolean done;
    try {
      done = frames.awaitCompletion(EngineSettings.millis(limit), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ContainerRun.closeQuietly(frames);
      throw new EngineException(
          "interrupted while running " + command + " in container " + container, e);
    } finally {
      ContainerRun.closeQuietly(frames);
    }
    out.finish();
    err.finish();
    Long code = done ? daemon.calls().inspectExecCmd(execId).exec().getExitCodeLong() : null;
    return new ExitStatus(
        code == null ? 137 : code.intValue(),
        !done,
        false,
        Duration.ofNanos(System.nanoTime() - t0));
  }
}
