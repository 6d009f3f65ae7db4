package io.proteus.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's child processes: each a JVM of the launcher itself (the same java, class path and
 * temp folder) that exits when this process does, even when this one is killed outright ({@code
 * --exit-with} this process's pid). {@link #close()} stops them all, politely first (SIGTERM: an
 * agent says goodbye), then forcibly; a shutdown hook does the same on Ctrl-C.
 */
final class Children implements AutoCloseable {
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final Thread hook = new Thread(this::stopAll, "proteus-children-stop");
  private volatile boolean closed;

  Children() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The command line of {@code proteus args...} in a child JVM. */
  static List<String> command(List<String> args) {
    List<String> c = new ArrayList<>();
    c.add(ProcessHandle.current().info().command().orElse("java"));
    c.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    c.add("-cp");
    c.add(System.getProperty("java.class.path"));
    c.add(ProteusMain.class.getName());
    c.addAll(args);
    c.add("--exit-with=" + ProcessHandle.current().pid());
    return c;
  }

  /** Starts {@code proteus args...} with its output (both streams) appended to {@code log}. */
  Process start(List<String> args, Path log) throws IOException {
    checkOpen();
    Process p =
        new ProcessBuilder(command(args))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    processes.add(p);
    return p;
  }

  /**
   * Starts {@code proteus args...} whose standard output the caller reads; errors go to {@code
   * log}.
   */
  Process startPiped(List<String> args, Path log) throws IOException {
    checkOpen();
    Process p =
        new ProcessBuilder(command(args))
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    processes.add(p);
    return p;
  }

  /** Stops every child and waits for them. */
  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down: the hook runs anyway
    }
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("the demo is over: no more child processes");
    }
  }

  private synchronized void stopAll() {
    closed = true;
    List<Process> all = List.copyOf(processes);
    all.forEach(Process::destroy);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    for (Process p : all) {
      try {
        long left = until - System.nanoTime();
        if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
