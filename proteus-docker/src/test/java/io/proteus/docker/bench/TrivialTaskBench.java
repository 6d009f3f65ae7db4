package io.proteus.docker.bench;

import io.proteus.docker.BusyboxImage;
import io.proteus.docker.DockerEngine;
import io.proteus.docker.DockerPolicy;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.OutputSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Wall time of one trivial task through the engine (create, start, wait, logs, remove) against
 * {@code docker run --rm} of the same image and command, alternating, median of N each, reported as
 * a ratio. A benchmark to run by hand, not a test:
 *
 * <pre>
 * ./mvnw -q -pl proteus-docker -am install -DskipTests
 * ./mvnw -q -pl proteus-docker exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.proteus.docker.bench.TrivialTaskBench [-Dexec.args=20]
 * </pre>
 */
public final class TrivialTaskBench {
  private TrivialTaskBench() {}

  /** Runs the benchmark and prints the medians and their ratio. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    BusyboxImage.ensure(BusyboxImage.DEFAULT_NAME, Path.of("/bin/busybox"), Optional.empty());
    DockerEngine engine =
        DockerEngine.connect(
            DockerPolicy.builder()
                .allowImages("proteus-test/*")
                .defaultImage(BusyboxImage.DEFAULT_NAME)
                .build());
    Path ws = Files.createTempDirectory("proteus-bench");
    List<Long> viaEngine = new ArrayList<>();
    List<Long> viaCli = new ArrayList<>();
    for (int i = 0; i < n + 3; i++) {
      long e = timeEngine(engine, ws);
      long c = timeCli(ws);
      if (i >= 3) {
        viaEngine.add(e);
        viaCli.add(c);
      }
    }
    double me = median(viaEngine) / 1e6;
    double mc = median(viaCli) / 1e6;
    System.out.printf(
        Locale.ROOT,
        "trivial task, median of %d: engine %.1f ms, docker run --rm %.1f ms, ratio %.2f%n",
        n,
        me,
        mc,
        me / mc);
    engine.close();
    try (var walk = Files.walk(ws)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static long timeEngine(DockerEngine engine, Path ws) throws Exception {
    long t0 = System.nanoTime();
    var s =
        engine
            .start(
                new ExecSpec(
                    List.of("true"),
                    ws,
                    Map.of(),
                    Optional.empty(),
                    Duration.ofSeconds(60),
                    OutputSink.NONE))
            .exit()
            .toCompletableFuture()
            .get();
    if (s.code() != 0) {
      throw new IllegalStateException("engine run failed: " + s);
    }
    return System.nanoTime() - t0;
  }

  static long timeCli(Path ws) throws Exception {
    long t0 = System.nanoTime();
    String w = ws.toAbsolutePath().toString();
    Process p =
        new ProcessBuilder(
                "docker",
                "run",
                "--rm",
                "--network",
                "none",
                "--cap-drop",
                "ALL",
                "--read-only",
                "--security-opt",
                "no-new-privileges",
                "-v",
                w + ":" + w,
                "-w",
                w,
                BusyboxImage.DEFAULT_NAME,
                "true")
            .inheritIO()
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("docker run failed");
    }
    return System.nanoTime() - t0;
  }

  static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int m = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2.0;
  }
}
