package io.proteus.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The sizes of every scenario.
 *
 * @param schedulerTasks tasks in the large scheduler run
 * @param schedulerWorkers no-op workers in the large scheduler run
 * @param baselineTasks tasks per job in the scheduler baseline
 * @param baselineWorkers no-op workers in the scheduler baseline
 * @param baselineRounds jobs the scheduler baseline runs (the median is taken)
 * @param heapTasks queued tasks whose retained heap is measured
 * @param localTasks no-op scripts run through two local workers and through {@code xargs -P2}
 * @param latencyRounds one-task jobs whose latency is compared with a bare process start
 * @param unpackBytes bytes of file content in the tar.gz
 * @param unpackFiles files in the tar.gz
 * @param bombBytes bytes the zip bomb's one entry inflates to
 * @param timeout how long the large scheduler run may take before its figure is taken from the
 *     tasks done so far
 * @param mqttRounds sequential raw MQTT round trips, and one-task jobs over MQTT, per turn
 * @param mqttTasks tasks of the MQTT throughput job, and raw round trips pipelined, per turn
 * @param mqttAgents agents of the MQTT latency and throughput rows
 * @param mqttWindow raw round trips in flight at once in the pipelined raw row
 * @param mqttRepeats turns of raw and Proteus measurements, taken alternately
 * @param killRounds agents killed mid-task per will delay
 */
public record Sizes(
    int schedulerTasks,
    int schedulerWorkers,
    int baselineTasks,
    int baselineWorkers,
    int baselineRounds,
    int heapTasks,
    int localTasks,
    int latencyRounds,
    long unpackBytes,
    int unpackFiles,
    long bombBytes,
    Duration timeout,
    int mqttRounds,
    int mqttTasks,
    int mqttAgents,
    int mqttWindow,
    int mqttRepeats,
    int killRounds) {

  /** The sizes of the bars table, except the tar.gz: 128 MiB in 6,400 files instead of 1 GB. */
  public static Sizes defaults() {
    return new Sizes(
        100_000,
        1_000,
        100,
        10,
        50,
        100_000,
        1_000,
        200,
        128L << 20,
        6_400,
        1L << 30,
        Duration.ofMinutes(10),
        300,
        2_000,
        4,
        64,
        3,
        5);
  }

  /** Tiny sizes that finish in a few seconds, to check the scenarios still run. */
  public static Sizes smoke() {
    return new Sizes(
        400,
        20,
        20,
        4,
        3,
        2_000,
        20,
        10,
        256L << 10,
        50,
        8L << 20,
        Duration.ofSeconds(30),
        20,
        50,
        2,
        8,
        1,
        1);
  }

  /** The option names {@link #with} knows. */
  public static final Set<String> OPTIONS =
      Set.of(
          "scheduler-tasks",
          "scheduler-workers",
          "baseline-tasks",
          "baseline-workers",
          "baseline-rounds",
          "heap-tasks",
          "local-tasks",
          "latency-rounds",
          "unpack-bytes",
          "unpack-files",
          "bomb-bytes",
          "timeout-seconds",
          "mqtt-rounds",
          "mqtt-tasks",
          "mqtt-agents",
          "mqtt-window",
          "mqtt-repeats",
          "kill-rounds");

  /**
   * These sizes with the {@code --name=value} options in {@code options} applied.
   *
   * @throws IllegalArgumentException on an unknown name or a value that is not a number
   */
  public Sizes with(Map<String, String> options) {
    for (String name : options.keySet()) {
      if (!OPTIONS.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
    }
    return new Sizes(
        integer(options, "scheduler-tasks", schedulerTasks),
        integer(options, "scheduler-workers", schedulerWorkers),
        integer(options, "baseline-tasks", baselineTasks),
        integer(options, "baseline-workers", baselineWorkers),
        integer(options, "baseline-rounds", baselineRounds),
        integer(options, "heap-tasks", heapTasks),
        integer(options, "local-tasks", localTasks),
        integer(options, "latency-rounds", latencyRounds),
        Long.parseLong(options.getOrDefault("unpack-bytes", Long.toString(unpackBytes))),
        integer(options, "unpack-files", unpackFiles),
        Long.parseLong(options.getOrDefault("bomb-bytes", Long.toString(bombBytes))),
        options.containsKey("timeout-seconds")
            ? Duration.ofSeconds(Long.parseLong(options.get("timeout-seconds")))
            : timeout,
        integer(options, "mqtt-rounds", mqttRounds),
        integer(options, "mqtt-tasks", mqttTasks),
        integer(options, "mqtt-agents", mqttAgents),
        integer(options, "mqtt-window", mqttWindow),
        integer(options, "mqtt-repeats", mqttRepeats),
        integer(options, "kill-rounds", killRounds));
  }

  private static int integer(Map<String, String> options, String name, int fallback) {
    String v = options.get(name);
    return v == null ? fallback : Integer.parseInt(v);
  }
}
