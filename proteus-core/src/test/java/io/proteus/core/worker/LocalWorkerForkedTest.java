package io.proteus.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker in a JVM of its own: a small heap, and a host environment that holds a secret. */
class LocalWorkerForkedTest {
  @TempDir Path tmp;

  record Run(int code, String stdout, String stderr) {}

  Run fork(String scenario) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
            java.toString(),
            "-Xmx64m",
            "-XX:+ExitOnOutOfMemoryError",
            "-cp",
            System.getProperty("java.class.path"),
            BigOutputMain.class.getName(),
            tmp.toString(),
            scenario);
    pb.environment().put("CLOUD_SECRET_TOKEN", "hunter2-do-not-leak");
    pb.environment().put("LANG", "C.UTF-8");
    pb.redirectOutput(tmp.resolve("stdout.txt").toFile());
    pb.redirectError(tmp.resolve("stderr.txt").toFile());
    Process p = pb.start();
    try {
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("the forked worker did not end within 5 minutes");
      }
    } finally {
      p.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
    }
    return new Run(
        p.exitValue(),
        Files.readString(tmp.resolve("stdout.txt")),
        Files.readString(tmp.resolve("stderr.txt")));
  }

  static Path logOf(Run r) {
    String line = r.stdout().lines().filter(l -> l.startsWith("OUTCOME")).findFirst().orElseThrow();
    return Path.of(line.substring(line.indexOf("log=") + 4));
  }

  @Test
  void threeHundredMegabytesWithoutANewlinePassInASixtyFourMegabyteHeap() throws Exception {
    Run r =
        fork(
            "printf START; head -c 300000000 /dev/zero | tr '\\0' x; printf 'END\\n'\n"
                + "echo after the big line\n"
                + "env\n");
    assertThat(r.stderr()).doesNotContain("OutOfMemoryError");
    assertThat(r.code()).as(r.stdout() + r.stderr()).isZero();
    assertThat(r.stdout()).contains("OUTCOME completed exit=0 cases=0");
    Path log = logOf(r);
    assertThat(Files.size(log)).isLessThan(1L << 20);
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertThat(lines.getFirst())
        .startsWith("out| STARTxxx")
        .contains("bytes of this line dropped by the line cap")
        .endsWith("xxxEND");
    assertThat(lines).contains("out| after the big line", "out| LANG=C.UTF-8");
    assertThat(String.join("\n", lines)).doesNotContain("hunter2-do-not-leak");
  }
}
