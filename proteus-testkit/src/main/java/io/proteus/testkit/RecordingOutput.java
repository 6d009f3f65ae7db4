package io.proteus.testkit;

import io.proteus.spi.OutputSink;
import java.util.ArrayList;
import java.util.List;

/**
 * An output sink that keeps every line, for tests of engines: standard output and standard error
 * apart, and both merged in arrival order with error lines tagged {@code err: }. Thread-safe.
 */
public final class RecordingOutput implements OutputSink {
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();
  private final List<String> merged = new ArrayList<>();

  @Override
  public synchronized void stdout(String line) {
    out.add(line);
    merged.add(line);
  }

  @Override
  public synchronized void stderr(String line) {
    err.add(line);
    merged.add("err: " + line);
  }

  /** Standard output lines so far. */
  public synchronized List<String> stdout() {
    return List.copyOf(out);
  }

  /** Standard error lines so far. */
  public synchronized List<String> stderr() {
    return List.copyOf(err);
  }

  /** Both, in arrival order, error lines tagged {@code err: }. */
  public synchronized List<String> merged() {
    return List.copyOf(merged);
  }
}
