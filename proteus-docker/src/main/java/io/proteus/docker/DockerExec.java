package io.proteus.docker;

import io.proteus.spi.Exec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.OutputSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A task running in a container: besides waiting and aborting, further commands can run in it, and
 * a folder or file can be copied out of it (unpacked safely) while it runs.
 */
public interface DockerExec extends Exec {

  /** The container's id. */
  String containerId();

  /**
   * Runs another command in the running container, with its output streamed apart.
   *
   * @return how it ended; {@code timedOut} when it ran past {@code timeout} (it is then abandoned)
   */
  ExitStatus exec(List<String> command, OutputSink output, Duration timeout);

  /**
   * Copies a folder or file of the running container into {@code target} (which must not exist),
   * unpacked with the same protections as build archives.
   */
  void archive(String containerPath, Path target);
}
