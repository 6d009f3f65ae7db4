package io.proteus.spi;

import io.proteus.model.ContainerRequest;
import io.proteus.model.TaskId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an engine runs: a command in a workspace.
 *
 * @param command the program and its arguments
 * @param workspace the attempt's fresh folder; the command's working directory
 * @param environment variables to set on top of the engine's base environment
 * @param stdin bytes to write to standard input, which is then closed
 * @param timeout after this long the command and everything it started are killed
 * @param output where its output goes as it comes
 * @param container what a container engine should run it in; other engines ignore it
 * @param task the task it runs an attempt of, for the engine's names and labels; absent when it
 *     runs outside a task
 */
public record ExecSpec(
    List<String> command,
    Path workspace,
    Map<String, String> environment,
    Optional<byte[]> stdin,
    Duration timeout,
    OutputSink output,
    Optional<ContainerRequest> container,
    Optional<TaskId> task) {

  /** Copies the command and environment. */
  public ExecSpec {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command is empty");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }

  /** A spec for engines that run no containers, or for the engine's default container. */
  public ExecSpec(
      List<String> command,
      Path workspace,
      Map<String, String> environment,
      Optional<byte[]> stdin,
      Duration timeout,
      OutputSink output) {
    this(command, workspace, environment, stdin, timeout, output, Optional.empty());
  }

  /** A spec outside any task. */
  public ExecSpec(
      List<String> command,
      Path workspace,
      Map<String, String> environment,
      Optional<byte[]> stdin,
      Duration timeout,
      OutputSink output,
      Optional<ContainerRequest> container) {
    this(command, workspace, environment, stdin, timeout, output, container, Optional.empty());
  }

  /** This spec, for an attempt of {@code id}. */
  public ExecSpec forTask(TaskId id) {
    return new ExecSpec(
        command, workspace, environment, stdin, timeout, output, container, Optional.of(id));
  }
}
