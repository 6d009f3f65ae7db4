package io.proteus.bench;

import io.proteus.model.JobId;
import io.proteus.model.TaskId;
import io.proteus.model.TaskStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Remote no-op tasks over MQTT against a raw MQTT peer on the same mosquitto, in the same run. The
 * raw and the Proteus measurements take turns, {@code mqtt-repeats} times, so that a load that
 * comes and goes lands on both; latencies pool every turn's samples, rates take the median turn.
 */
final class MqttScenario {
  private static final List<TaskStatus> PHASES =
      List.of(
          TaskStatus.DISPATCHED,
          TaskStatus.LOADING,
          TaskStatus.RUNNING,
          TaskStatus.UPLOADING,
          TaskStatus.PASSED);

  private MqttScenario() {}

  static List<Row> rows(Sizes sizes, Path work) throws IOException, InterruptedException {
    if (Mosquitto.binary() == null) {
      return List.of(
          new Row(
              "mqtt: skipped, mosquitto is not installed (apt-get install mosquitto)",
              "-",
              "-",
              "-",
              "-",
              Double.NaN));
    }
    List<Row> rows = new ArrayList<>();
    try (Mosquitto broker = Mosquitto.start(work.resolve("broker"))) {
      rows.addAll(against(sizes, broker.port(), work));
      rows.add(kill(sizes, broker.port(), work.resolve("kill-0"), Duration.ZERO));
      rows.add(kill(sizes, broker.port(), work.resolve("kill-2"), Duration.ofSeconds(2)));
    }
    return rows;
  }

  private static List<Row> against(Sizes sizes, int port, Path work)
      throws IOException, InterruptedException {
    int rounds = sizes.mqttRounds();
    int tasks = sizes.mqttTasks();
    int agents = sizes.mqttAgents();
    int window = sizes.mqttWindow();
    int repeats = Math.max(1, sizes.mqttRepeats());
    Samples rtt = new Samples(rounds * repeats);
    Samples dispatchToEnd = new Samples(rounds * repeats);
    Samples submitToEnd = new Samples(rounds * repeats);
    List<Samples> phases = new ArrayList<>();
    for (int i = 1; i < PHASES.size(); i++) {
      phases.add(new Samples(rounds * repeats));
    }
    Samples loopGaps = new Samples(tasks * repeats);
    Samples busyDispatchToEnd = new Samples(tasks * repeats);
    double[] rawRates = new double[repeats];
    double[] rawRatesAsAgents = new double[repeats];
    double[] taskRates = new double[repeats];
    double coreMessages = 0;
    double coreSent = 0;
    double agentMessages = 0;
    try (RawPeer raw = new RawPeer(port, "raw");
        MqttFleet fleet = new MqttFleet(port, work.resolve("fleet"), Duration.ofSeconds(2))) {
      for (int a = 1; a <= agents; a++) {
        fleet.agent("agent-" + a, false, false);
      }
      // warm-up of both, not counted
      raw.sequential(Math.min(100, rounds), new Samples(100));
      raw.pipelined(Math.min(1_000, tasks), window);
      for (int i = 0; i < Math.min(20, rounds); i++) {
        fleet.await(fleet.submit(1));
      }
      fleet.await(fleet.submit(Math.min(500, tasks)));

      for (int r = 0; r < repeats; r++) {
        raw.sequential(rounds, rtt);
        latency(fleet, rounds, dispatchToEnd, submitToEnd, phases);
        rawRates[r] = raw.pipelined(tasks, window);
        rawRatesAsAgents[r] = raw.pipelined(tasks, agents);
        var coreBefore = fleet.transport.stats();
        long[] agentsBefore = fleet.agentMessages();
        fleet.probe().time();
        fleet.probe().gaps(loopGaps);
        long start = System.nanoTime();
        JobId job = fleet.submit(tasks);
        fleet.await(job);
        taskRates[r] = tasks / ((System.nanoTime() - start) / 1e9);
        fleet.probe().stop();
        for (long[] t : fleet.probe().all()) {
          long d = t[TaskStatus.DISPATCHED.ordinal()];
          long p = t[TaskStatus.PASSED.ordinal()];
          if (d > 0 && p > 0) {
            busyDispatchToEnd.add(p - d);
          }
        }
        var coreAfter = fleet.transport.stats();
        long[] agentsAfter = fleet.agentMessages();
        coreMessages +=
            (double)
                    (coreAfter.sent()
                        + coreAfter.received()
                        - coreBefore.sent()
                        - coreBefore.received())
                / tasks;
        coreSent += (double) (coreAfter.sent() - coreBefore.sent()) / tasks;
        agentMessages +=
            (double) (agentsAfter[0] + agentsAfter[1] - agentsBefore[0] - agentsBefore[1]) / tasks;
      }
    }
    coreMessages /= repeats;
    coreSent /= repeats;
    agentMessages /= repeats;
    double rawP50 = rtt.percentile(50);
    double rawRate = median(rawRates);
    double rawRateAsAgents = median(rawRatesAsAgents);
    double taskRate = median(taskRates);
    double p50 = dispatchToEnd.percentile(50);
    double latencyBar = 2 * rawP50 + 1e6;
    double ratio = taskRate / rawRate;
    String turns = repeats + " turn" + (repeats == 1 ? "" : "s");
    List<Row> rows = new ArrayList<>();
    rows.add(
        new Row(
            "mqtt raw peer: QoS 1 request and reply ("
                + RawPeer.BYTES
                + " bytes each) between two HiveMQ clients on mosquitto, "
                + rounds
                + " sequential round trips x "
                + turns,
            "p50 " + Row.millis(rawP50) + ", p99 " + Row.millis(rtt.percentile(99)),
            "-",
            "-",
            "- (the peer of the Proteus rows)",
            rawP50));
    rows.add(
        new Row(
            "mqtt raw peer: " + tasks + " round trips pipelined, median of " + turns,
            rate(rawRate) + " round trips/s with " + window + " in flight",
            rate(rawRateAsAgents) + "/s with " + agents + " in flight (one per agent below)",
            "-",
            "- (the peer of the Proteus rows)",
            rawRate));
    rows.add(
        new Row(
            "mqtt no-op task latency: "
                + rounds
                + " one-task jobs x "
                + turns
                + ", core -> mosquitto -> agent -> core, "
                + agents
                + " agents",
            "dispatch to final: p50 "
                + Row.millis(p50)
                + ", p99 "
                + Row.millis(dispatchToEnd.percentile(99))
                + "; submit to completion: p50 "
                + Row.millis(submitToEnd.percentile(50))
                + ", p99 "
                + Row.millis(submitToEnd.percentile(99)),
            "raw round trip p50 " + Row.millis(rawP50),
            Row.times(p50 / rawP50) + " the raw p50",
            "p50 at most 2 x raw p50 + 1 ms = "
                + Row.millis(latencyBar)
                + ": "
                + (p50 <= latencyBar ? "PASS" : "MISS"),
            p50));
    rows.add(
        new Row(
            "mqtt no-op task throughput: a "
                + tasks
                + "-task job on "
                + agents
                + " agents, "
                + turns,
            rate(taskRate)
                + " tasks/s (median), "
                + String.format(Locale.ROOT, "%.1f", coreMessages)
                + " MQTT messages per task at the core ("
                + String.format(Locale.ROOT, "%.1f", coreSent)
                + " sent), "
                + String.format(Locale.ROOT, "%.1f", agentMessages)
                + " at the agents",
            "raw pipelined " + rate(rawRate) + " round trips/s",
            Row.times(ratio) + " the raw rate",
            "at least 0.5x: " + (ratio >= 0.5 ? "PASS" : "MISS"),
            ratio));
    StringBuilder where = new StringBuilder("p50 per step, one task at a time:");
    for (int i = 1; i < PHASES.size(); i++) {
      if (phases.get(i - 1).size() > 0) {
        where
            .append(' ')
            .append(PHASES.get(i - 1).name().toLowerCase(Locale.ROOT))
            .append("->")
            .append(PHASES.get(i).name().toLowerCase(Locale.ROOT))
            .append(' ')
            .append(Row.millis(phases.get(i - 1).percentile(50)))
            .append(',');
      }
    }
    where.setLength(where.length() - 1);
    rows.add(
        new Row(
            "mqtt: where a task's time goes (core's listener, nanoTime on its loop)",
            where.toString(),
            "in the "
                + tasks
                + "-task job: dispatch to final p50 "
                + Row.millis(busyDispatchToEnd.percentile(50))
                + "; the core's time from a worker's final to its next dispatch p50 "
                + Row.micros(loopGaps.percentile(50))
                + ", p99 "
                + Row.micros(loopGaps.percentile(99)),
            "-",
            "-",
            busyDispatchToEnd.percentile(50)));
    return rows;
  }

  /** One-task jobs, one at a time, each timed from dispatch and from submit to its end. */
  private static void latency(
      MqttFleet fleet, int rounds, Samples dispatchToEnd, Samples submitToEnd, List<Samples> phases)
      throws InterruptedException {
    fleet.probe().time();
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      JobId job = fleet.submit(1);
      fleet.await(job);
      long end = System.nanoTime();
      submitToEnd.add(end - start);
      long[] t = fleet.probe().times(new TaskId(job, 0));
      long dispatched = t[TaskStatus.DISPATCHED.ordinal()];
      long passed = t[TaskStatus.PASSED.ordinal()];
      if (dispatched > 0 && passed > 0) {
        dispatchToEnd.add(passed - dispatched);
      }
      for (int p = 1; p < PHASES.size(); p++) {
        long from = t[PHASES.get(p - 1).ordinal()];
        long to = t[PHASES.get(p).ordinal()];
        if (from > 0 && to > 0) {
          phases.get(p - 1).add(to - from);
        }
      }
    }
    fleet.probe().stop();
  }

  /**
   * An agent killed while it runs a task: its connection closed through its proxy, which then
   * refuses it, as the broker sees a kill -9. The figure is the time from the kill to the task's
   * dispatch to the other agent, which waits idle; each round has new agents.
   */
  private static Row kill(Sizes sizes, int port, Path work, Duration willDelay)
      throws IOException, InterruptedException {
    int rounds = Math.max(1, sizes.killRounds());
    Samples toRedispatch = new Samples(rounds);
    Samples toOffline = new Samples(rounds);
    try (MqttFleet fleet = new MqttFleet(port, work, willDelay)) {
      for (int r = 0; r < rounds; r++) {
        String victim = "victim-" + r;
        String rescuer = "rescuer-" + r;
        fleet.agent(victim, true, true);
        JobId job = fleet.submit(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MqttFleet.LIMIT_SECONDS);
        while (fleet.core.job(job).orElseThrow().tasks().get(0).status() != TaskStatus.RUNNING) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the task did not start on " + victim);
          }
          Thread.sleep(2);
        }
        fleet.agent(rescuer, false, false);
        MqttFleet.Watch watch = fleet.probe().watch(victim, rescuer);
        long killed = System.nanoTime();
        fleet.kill(victim);
        try {
          long again = watch.redispatched().get(MqttFleet.LIMIT_SECONDS, TimeUnit.SECONDS);
          toRedispatch.add(again - killed);
          toOffline.add(watch.offline().get(MqttFleet.LIMIT_SECONDS, TimeUnit.SECONDS) - killed);
        } catch (ExecutionException | TimeoutException e) {
          throw new IllegalStateException("the task was not dispatched again after the kill", e);
        }
        fleet.await(job);
        fleet.remove(victim);
        fleet.remove(rescuer);
      }
    }
    return new Row(
        "mqtt: an agent killed mid-task (its TCP connection closed), will delay "
            + willDelay.toSeconds()
            + " s: "
            + rounds
            + " rounds",
        "kill to re-dispatch to another agent: p50 "
            + Row.millis(toRedispatch.percentile(50))
            + " (min "
            + Row.millis(toRedispatch.percentile(0))
            + ", max "
            + Row.millis(toRedispatch.percentile(100))
            + ")",
        "kill to the worker offline at the core: p50 " + Row.millis(toOffline.percentile(50)),
        Row.millis(toRedispatch.percentile(50) - willDelay.toNanos()) + " over the will delay",
        "- (reported)",
        toRedispatch.percentile(50));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f", perSecond);
  }
}
