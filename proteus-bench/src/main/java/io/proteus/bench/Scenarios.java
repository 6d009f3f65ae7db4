package io.proteus.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The end-to-end runner for the bars of the scale work: each scenario with its baseline measured in
 * the same run, printed as a Markdown table.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.proteus.bench.Scenarios [--smoke] [--only=a,b]
 * [--work=DIR] [--NAME=VALUE...]}, where scenarios are {@code scheduler}, {@code heap}, {@code
 * local}, {@code unpack} and {@code mqtt} (which starts a mosquitto of its own), and the sizes are
 * those of {@link Sizes#with}.
 */
public final class Scenarios {
  /** Every scenario, in the order of the bars table. */
  public static final List<String> ALL = List.of("scheduler", "heap", "local", "unpack", "mqtt");

  private static final String HEADER =
      "| scenario | figure | baseline in the same run | ratio | bar |\n|---|---|---|---|---|";

  private Scenarios() {}

  /** Runs the scenarios the arguments name and prints the table; exits 2 on a bad argument. */
  public static void main(String[] args) throws Exception {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        usage(arg);
        return;
      }
      int eq = arg.indexOf('=');
      options.put(
          eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "" : arg.substring(eq + 1));
    }
    Sizes sizes = (options.remove("smoke") != null ? Sizes.smoke() : Sizes.defaults());
    Set<String> only = new LinkedHashSet<>(ALL);
    String chosen = options.remove("only");
    if (chosen != null) {
      only = new LinkedHashSet<>(List.of(chosen.split(",")));
    }
    String work = options.remove("work");
    try {
      sizes = sizes.with(options);
    } catch (IllegalArgumentException e) {
      usage(e.getMessage());
      return;
    }
    Path root =
        work == null
            ? Files.createTempDirectory("proteus-bench")
            : Files.createDirectories(Path.of(work));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.println(HEADER);
    try {
      run(only, sizes, root, r -> out.println(r.markdown()));
    } finally {
      if (work == null) {
        Scripts.delete(root);
      }
    }
    // A stopped MQTT core transport or agent link leaves HiveMQ's non-daemon event-loop threads
    // running, which would keep this JVM alive after the last row.
    System.exit(0);
  }

  /** Something that takes each row as soon as it is measured. */
  public interface RowSink {
    /** Takes one row. */
    void accept(Row row);
  }

  /**
   * Runs the scenarios in {@code only} with these sizes, working under {@code work}, and returns
   * their rows (each also given to {@code sink} as soon as it is measured).
   *
   * @throws IllegalArgumentException when {@code only} names an unknown scenario
   */
  public static List<Row> run(Set<String> only, Sizes sizes, Path work, RowSink sink)
      throws IOException, InterruptedException {
    for (String name : only) {
      if (!ALL.contains(name)) {
        throw new IllegalArgumentException("unknown scenario " + name + "; known: " + ALL);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (String name : ALL) {
      if (!only.contains(name)) {
        continue;
      }
      Path dir = Files.createDirectories(work.resolve(name.toLowerCase(Locale.ROOT)));
      List<Row> got =
          switch (name) {
            case "scheduler" -> SchedulerScenario.rows(sizes);
            case "heap" -> HeapScenario.rows(sizes);
            case "local" -> LocalScenario.rows(sizes, dir);
            case "unpack" -> UnpackScenario.rows(sizes, dir);
            default -> MqttScenario.rows(sizes, dir);
          };
      Scripts.delete(dir);
      for (Row row : got) {
        sink.accept(row);
        rows.add(row);
      }
    }
    return rows;
  }

  private static void usage(String problem) {
    System.err.println(
        "proteus-bench: "
            + problem
            + "\nusage: Scenarios [--smoke] [--only="
            + String.join(",", ALL)
            + "] [--work=DIR] [--scheduler-tasks=N] [--scheduler-workers=N] [--baseline-tasks=N]"
            + " [--baseline-workers=N] [--baseline-rounds=N] [--heap-tasks=N] [--local-tasks=N]"
            + " [--latency-rounds=N] [--unpack-bytes=N] [--unpack-files=N] [--bomb-bytes=N]"
            + " [--timeout-seconds=N] [--mqtt-rounds=N] [--mqtt-tasks=N] [--mqtt-agents=N]"
            + " [--mqtt-window=N] [--mqtt-repeats=N] [--kill-rounds=N]");
    System.exit(2);
  }
}
