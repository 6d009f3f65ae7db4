package io.proteus.docker.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Turns chunks of a stream into lines, as the engine's output sink wants them. Not thread-safe. */
public final class LineSplitter {
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final Consumer<String> sink;

  public LineSplitter(Consumer<String> sink) {
    this.sink = sink;
  }

  /** Takes a chunk; emits every complete line in it. */
  public void accept(byte[] chunk) {
    int start = 0;
    for (int i = 0; i < chunk.length; i++) {
      if (chunk[i] == '\n') {
        pending.write(chunk, start, i - start);
        emit();
        start = i + 1;
      }
    }
    pending.write(chunk, start, chunk.length - start);
  }

  /** Emits a last line that had no line end. */
  public void finish() {
    if (pending.size() > 0) {
      emit();
    }
  }

  private void emit() {
    String line = pending.toString(StandardCharsets.UTF_8);
    pending.reset();
    sink.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
  }
}
