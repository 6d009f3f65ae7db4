package io.proteus.docker;

import io.proteus.EngineException;
import io.proteus.core.archive.ArchiveLimits;
import io.proteus.spi.Exec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.OutputSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A task running in a container: besides waiting and aborting, further commands can run in it, and
 * a folder or file can be copied out of it (unpacked safely, within limits) while it runs.
 */
public interface DockerExec extends Exec {

  /** The container's id. */
  String containerId();

  /**
   * Runs another command in the running container, with its output streamed apart in lines capped
   * as the task's are.
   *
   * @param limit how long it may run; past it the command is abandoned and reported timed out
   * @return how it ended
   * @throws EngineException when it cannot run
   */
  ExitStatus exec(List<String> command, OutputSink output, Duration limit);

  /**
   * Copies a folder or file of the running container into {@code target} (which must not exist),
   * unpacked with the same protections as build archives and within the engine's archive limits.
   *
   * @throws EngineException when the copy fails or passes the limits; then neither {@code target}
   *     nor any temporary file is left
   */
  void archive(String containerPath, Path target);

  /** As {@link #archive(String, Path)}, within {@code limits}. */
  void archive(String containerPath, Path target, ArchiveLimits limits);
}
