package io.proteus.spi;

/**
 * Receives a running command's output, line by line, as it comes. Called on the engine's reader
 * threads; implementations must be thread-safe and quick.
 */
public interface OutputSink {

  /** A line the command wrote to standard output, without its line end. */
  void stdout(String line);

  /** A line the command wrote to standard error, without its line end. */
  void stderr(String line);

  /** A sink that drops everything. */
  OutputSink NONE =
      new OutputSink() {
        @Override
        public void stdout(String line) {}

        @Override
        public void stderr(String line) {}
      };
}
