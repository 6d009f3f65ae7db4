package io.proteus.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.core.report.JunitFlavour;
import io.proteus.testkit.junit5.Mosquitto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * proteus demo --distributed: a broker, a core and three agents in their own processes print what
 * the demo prints, and no child outlives the demo, whether it ends or is stopped.
 */
class DistributedDemoTest {
  @TempDir Path tmp;

  /**
   * The launcher's children still running: their command line names the demo's pid. Read from
   * /proc, since ProcessHandle.Info drops command lines as long as a test class path.
   */
  private static List<Long> childrenOf(long pid) throws java.io.IOException {
    String mark = "--exit-with=" + pid;
    try (java.util.stream.Stream<Path> procs = java.nio.file.Files.list(Path.of("/proc"))) {
      return procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(p -> {
            try {
              byte[] cmd = java.nio.file.Files.readAllBytes(p.resolve("cmdline"));
              return new String(cmd, java.nio.charset.StandardCharsets.UTF_8).contains(mark);
            } catch (java.io.IOException e) {
              return false;
            }
          })
          .map(p -> Long.parseLong(p.getFileName().toString()))
          .toList();
    }
  }

  @Test
  void theDistributedDemoPrintsTheDemosSummaryAndLeavesNoChildBehind() throws Exception {
    Path reports = tmp.resolve("reports");
    try (LauncherDaemon demo =
        LauncherDaemon.start(
            tmp.resolve("t"), Map.of(), "demo", "--distributed", "--out", reports.toString())) {
      assertThat(demo.process().waitFor()).as(demo.output()).isZero();
      String out = demo.output();
      assertThat(out)
          .contains("embedded broker on 127.0.0.1:")
          .contains("sample on linux-x64: COMPLETED", "sample on linux-arm64: COMPLETED")
          .contains("FAILED (expected)", "ERROR (expected)")
          .contains("simulated crash", "retry")
          .contains("  passed 3, failed 2, error 1, cancelled 0")
          .contains("Demo completed: every failure above was expected");
      assertThat(ReportRules.allValid(reports, JunitFlavour.SUREFIRE)).isEqualTo(2);
      assertThat(childrenOf(demo.process().pid())).isEmpty();
    }
  }

  @Test
  void aDemoStoppedMidRunStopsEveryChild() throws Exception {
    Mosquitto.assumeInstalled();
    try (Mosquitto broker = Mosquitto.start(tmp.resolve("mosquitto"));
        LauncherDaemon demo =
            LauncherDaemon.start(
                tmp.resolve("t"),
                Map.of(),
                "demo",
                "--distributed",
                "--broker",
                "127.0.0.1:" + broker.port(),
                "--out",
                tmp.resolve("reports").toString())) {
      demo.awaitOutput("attempt 1 on demo-", Duration.ofMinutes(1));
      long pid = demo.process().pid();
      assertThat(childrenOf(pid)).hasSizeGreaterThanOrEqualTo(3);
      demo.terminate(Duration.ofSeconds(30));
      await().atMost(Duration.ofSeconds(10)).until(() -> childrenOf(pid).isEmpty());
    }
  }
}
