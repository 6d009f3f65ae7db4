package io.proteus.docker;

import io.proteus.spi.ExecSpec;
import io.proteus.spi.OutputSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A process that starts a long container and then waits to be killed: the leftover test kills it
 * with SIGKILL, so nothing of its own can clean up.
 */
public final class LeftoverHolder {
  private LeftoverHolder() {}

  /**
   * Starts {@code sleep 600} in a container with the workspace {@code args[0]}, prints {@code
   * started}, and waits.
   */
  public static void main(String[] args) throws Exception {
    Path ws = Files.createDirectories(Path.of(args[0]));
    DockerEngine engine = DockerEngine.connect(DockerTestSupport.policy());
    engine.start(
        new ExecSpec(
            List.of("sleep", "600"),
            ws,
            Map.of("PROTEUS_TASK_ID", "leftover/0"),
            Optional.empty(),
            Duration.ofMinutes(10),
            OutputSink.NONE));
    System.out.println("started");
    System.out.flush();
    new java.util.concurrent.CountDownLatch(1).await(10, java.util.concurrent.TimeUnit.MINUTES);
  }
}
