package io.proteus.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proteus.core.store.FileJobStore;
import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import io.proteus.spi.JobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code proteus run --data} as its own process, killed with SIGKILL at 20 seeded points of a
 * running plan and started again on the same folder each time: the run completes, no task that was
 * final in the store when the process died runs again, and each job's results are taken once. Set
 * {@code -Dproteus.recovery.seed=N} to replay a failure; the seed and the points are in every
 * assertion's message and in the log.
 */
class LauncherRecoveryTest {
  private static final Logger log = LoggerFactory.getLogger(LauncherRecoveryTest.class);
  private static final int TESTS = 30;
  private static final int KILLS = 20;

  @TempDir Path tmp;

  @Test
  void aRunKilledAtTwentySeededPointsCompletesWithoutRunningAFinishedTaskAgain() throws Exception {
    long seed = Long.getLong("proteus.recovery.seed", 20261203L);
    Random random = new Random(seed);
    Path build = build();
    Path data = tmp.resolve("data");
    Path ledger = tmp.resolve("ledger.txt");
    Files.createFile(ledger);
    Map<String, String> env = Map.of("LEDGER", ledger.toString());
    StringBuilder trail = new StringBuilder("seed " + seed + "; kill points:");
    Map<String, Integer> finalAtLine = new HashMap<>();
    for (int k = 0; k < KILLS; k++) {
      int kind = random.nextInt(4);
      int lines = 1 + random.nextInt(3);
      long before = lines(ledger).size();
      try (LauncherDaemon run =
          LauncherDaemon.start(
              tmp.resolve("t" + k),
              env,
              "run",
              "--data",
              data.toString(),
              build.toString(),
              "--workers",
              "2",
              "--pass-env",
              "LEDGER",
              "--out",
              tmp.resolve("out").toString())) {
        String point =
            switch (kind) {
              case 0 -> "at once";
              case 1 -> {
                run.awaitOutput("proteus", Duration.ofSeconds(60));
                yield "at its first line";
              }
              default -> {
                await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(10))
                    .until(
                        () -> lines(ledger).size() >= before + lines || !run.process().isAlive());
                yield "after " + lines + " more ledger lines";
              }
            };
        if (!run.process().isAlive()) {
          trail.append(" [").append(k).append(": ended before the kill]");
          break;
        }
        kill(run.process());
        trail.append(" [").append(k).append(": ").append(point).append("]");
      }
      int at = lines(ledger).size();
      for (String task : finalTasks(data.resolve("store"))) {
        finalAtLine.putIfAbsent(task, at);
      }
    }
    log.info("{}", trail);
    LauncherProcess last =
        LauncherProcess.run(
            Files.createDirectories(tmp.resolve("last")),
            env,
            180,
            "run",
            "--data",
            data.toString(),
            "--workers",
            "2",
            "--pass-env",
            "LEDGER",
            "--out",
            tmp.resolve("out").toString());
    assertThat(last.exitCode()).as(trail + "\n" + last.stdout() + last.stderr()).isZero();

    List<String> all = lines(ledger);
    finalAtLine.forEach((task, line) -> {
      List<String> later = all.subList(line, all.size());
      assertThat(later)
          .as(
              "%s: %s was final in the store at ledger line %d, yet started again",
              trail, task, line)
          .doesNotContain("start " + task);
    });
    JsonNode summary =
        new ObjectMapper().readTree(tmp.resolve("out").resolve("summary.json").toFile());
    Set<String> passed = new TreeSet<>();
    for (JsonNode job : summary.path("jobs")) {
      for (JsonNode t : job.path("tasks")) {
        if (t.path("status").asText().equals("PASSED")) {
          passed.add(t.path("test").asText());
        }
      }
    }
    assertThat(passed).as(trail.toString()).hasSize(TESTS);
    List<String> delivered =
        Files.readAllLines(data.resolve("delivered.log"), StandardCharsets.UTF_8);
    assertThat(delivered).as(trail.toString()).hasSize(1);
    assertThat(finalTasks(data.resolve("store"))).as(trail.toString()).hasSize(TESTS);
  }

  private Path build() throws IOException {
    Path b = Files.createDirectories(tmp.resolve("build"));
    Files.writeString(
        b.resolve("t.sh"),
        "#!/bin/sh\necho \"start $1\" >> \"$LEDGER\"\nsleep 0.3\necho \"end $1\" >> \"$LEDGER\"\n");
    StringBuilder tests = new StringBuilder();
    for (int i = 0; i < TESTS; i++) {
      if (i > 0) {
        tests.append(',');
      }
      tests.append("{\"name\":\"t").append(i).append("\",\"binary\":\"t.sh\",");
      tests.append("\"arguments\":[\"t").append(i).append("\"]}");
    }
    Files.writeString(
        b.resolve("tests.json"),
        "{\"name\":\"p\",\"platforms\":[\"linux\"],\"tests\":[" + tests + "]}");
    return b;
  }

  private static void kill(Process p) throws Exception {
    List<ProcessHandle> children = p.descendants().toList();
    p.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    for (ProcessHandle c : children) {
      c.onExit().get(30, TimeUnit.SECONDS);
    }
  }

  private static List<String> lines(Path ledger) throws IOException {
    String text = Files.readString(ledger, StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    int end = text.lastIndexOf('\n');
    for (String l : text.substring(0, end + 1).split("\n")) {
      if (!l.isBlank()) {
        out.add(l);
      }
    }
    return out;
  }

  /** The names of the tasks final in the store, which are the argument each script gets. */
  private static Set<String> finalTasks(Path store) {
    Set<String> out = new TreeSet<>();
    if (!Files.isDirectory(store)) {
      return out;
    }
    try (FileJobStore s = FileJobStore.open(store)) {
      for (JobStore.JobList list : JobStore.JobList.values()) {
        for (JobResult j : s.list(list)) {
          for (TaskResult t : j.tasks()) {
            if (t.status().isFinal()) {
              out.add(t.testName());
            }
          }
        }
      }
    }
    return out;
  }
}
