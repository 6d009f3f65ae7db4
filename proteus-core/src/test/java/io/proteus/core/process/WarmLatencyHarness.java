package io.proteus.core.process;

import io.proteus.spi.ExecSpec;
import io.proteus.spi.OutputSink;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: prints, for a no-op {@code #!/bin/sh} script, the start-to-exit latency of a bare
 * {@link ProcessBuilder}, of the engine with a PID namespace per command, and of the engine on a
 * warm launcher, interleaved round by round so that the machine's load falls on all three alike.
 * Arguments: rounds (default 300).
 */
public final class WarmLatencyHarness {
  private WarmLatencyHarness() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    Path ws = Files.createTempDirectory("proteus-latency-");
    try {
      measure(rounds, ws);
    } finally {
      try (var left = Files.walk(ws)) {
        for (Path p : left.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void measure(int rounds, Path ws) throws Exception {
    Path script = ws.resolve("noop.sh");
    Files.writeString(script, "#!/bin/sh\nexit 0\n");
    if (!script.toFile().setExecutable(true)) {
      throw new IllegalStateException("cannot make " + script + " executable");
    }
    OutputSink quiet =
        new OutputSink() {
          @Override
          public void stdout(String line) {}

          @Override
          public void stderr(String line) {}
        };
    ExecSpec spec =
        new ExecSpec(
            List.of(script.toString()),
            ws,
            Map.of(),
            Optional.empty(),
            Duration.ofMinutes(1),
            quiet);
    try (ProcessEngine warm = new ProcessEngine();
        ProcessEngine perCommand = ProcessEngine.perCommand(ProcessOptions.defaults())) {
      long[][] samples = new long[3][rounds];
      for (int i = -20; i < rounds; i++) {
        long a = bare(script, ws);
        long b = engine(perCommand, spec);
        long c = engine(warm, spec);
        if (i >= 0) {
          samples[0][i] = a;
          samples[1][i] = b;
          samples[2][i] = c;
        }
      }
      String[] names = {"bare ProcessBuilder", "engine, namespace per command", "engine, warm"};
      for (int k = 0; k < 3; k++) {
        long[] s = samples[k];
        Arrays.sort(s);
        System.out.printf(
            "%-32s p50 %6.3f ms  p90 %6.3f ms  p99 %6.3f ms%n",
            names[k], ms(s[rounds / 2]), ms(s[rounds * 9 / 10]), ms(s[rounds * 99 / 100]));
      }
      System.out.printf(
          "warm launchers started: %d, for %d commands%n", warm.launchersStarted(), rounds + 20);
    }
  }

  private static long bare(Path script, Path ws) throws Exception {
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(script.toString())
            .directory(ws.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    p.waitFor();
    return System.nanoTime() - start;
  }

  private static long engine(ProcessEngine engine, ExecSpec spec) throws Exception {
    long start = System.nanoTime();
    int code = engine.start(spec).exit().toCompletableFuture().get(1, TimeUnit.MINUTES).code();
    long took = System.nanoTime() - start;
    if (code != 0) {
      throw new IllegalStateException("exit " + code);
    }
    return took;
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
