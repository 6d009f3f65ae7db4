package io.proteus.examples.cli;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The hidden {@code --exit-with PID} option of the launcher's child processes: the child exits
 * (through its shutdown hooks, so it stops cleanly) when the process {@code PID} is gone, so no
 * child outlives a demo that was killed.
 */
final class ParentWatch {
  @Option(
      names = "--exit-with",
      hidden = true,
      paramLabel = "PID",
      description = "Exit when the process PID ends.")
  @Nullable Long pid;

  /** Starts watching, if asked to. */
  void start() {
    if (pid == null) {
      return;
    }
    var parent = ProcessHandle.of(pid);
    if (parent.isEmpty()) {
      System.exit(3);
    }
    parent.get().onExit().thenRun(() -> System.exit(3));
  }
}
