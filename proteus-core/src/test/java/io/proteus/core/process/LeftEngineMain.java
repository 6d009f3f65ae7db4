package io.proteus.core.process;

import io.proteus.spi.ExecSpec;
import io.proteus.spi.OutputSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command on an engine it never closes, writes the pids of the engine's launchers (the
 * {@code unshare} processes and their shells) to the file {@code args[1]}, and exits.
 */
public final class LeftEngineMain {
  private LeftEngineMain() {}

  public static void main(String[] args) throws Exception {
    ProcessEngine engine = new ProcessEngine();
    OutputSink quiet =
        new OutputSink() {
          @Override
          public void stdout(String line) {}

          @Override
          public void stderr(String line) {}
        };
    int code =
        engine
            .start(
                new ExecSpec(
                    List.of("true"),
                    Path.of(args[0]),
                    Map.of(),
                    Optional.empty(),
                    Duration.ofMinutes(1),
                    quiet))
            .exit()
            .toCompletableFuture()
            .get(1, TimeUnit.MINUTES)
            .code();
    List<String> pids = new ArrayList<>();
    for (ProcessHandle h : engine.launchers()) {
      pids.add(Long.toString(h.pid()));
      h.children().forEach(c -> pids.add(Long.toString(c.pid())));
    }
    if (code != 0 || pids.size() != 2) {
      throw new IllegalStateException("code " + code + ", launcher processes " + pids);
    }
    Files.write(Path.of(args[1]), pids, StandardCharsets.UTF_8);
    System.exit(0);
  }
}
