package io.proteus.examples.cli;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A launcher that runs on in its own process (a core, a worker, a broker, a demo) while the test
 * watches its output, which goes to a file. Closing it kills it and its descendants.
 */
final class LauncherDaemon implements AutoCloseable {
  private final Process process;
  private final Path output;

  private LauncherDaemon(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  static LauncherDaemon start(Path tmpDir, Map<String, String> env, String... args)
      throws IOException {
    Files.createDirectories(tmpDir);
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Djava.io.tmpdir=" + tmpDir);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ProteusMain.class.getName());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(tmpDir.getParent(), args[0], ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().putAll(env);
    return new LauncherDaemon(pb.start(), out);
  }

  Process process() {
    return process;
  }

  /** What it printed so far. */
  String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits until it printed {@code text}, failing with its output if it ends first. */
  void awaitOutput(String text, Duration limit) {
    await()
        .atMost(limit)
        .pollInterval(Duration.ofMillis(50))
        .failFast("it exited: " + output(), () -> !process.isAlive() && !output().contains(text))
        .until(() -> output().contains(text));
  }

  /** Sends SIGTERM and returns the exit code, within {@code limit}. */
  int terminate(Duration limit) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("it did not stop on SIGTERM within " + limit + ": " + output());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    try {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
