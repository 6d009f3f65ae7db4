package io.proteus.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code proteus run --data} and {@code proteus core --data}: what they take and refuse. */
class LauncherDataTest extends CapturedStreams {
  @TempDir Path tmp;

  Path build(String name) throws Exception {
    Path b = Files.createDirectories(tmp.resolve(name));
    Files.writeString(
        b.resolve("tests.json"),
        "{\"name\":\"p\",\"platforms\":[\"linux\"],\"tests\":[{\"name\":\"ok\",\"binary\":\"ok.sh\"}]}");
    Files.writeString(b.resolve("ok.sh"), "#!/bin/sh\nexit 0\n");
    return b;
  }

  String errText() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anEndedRunRunsNothingAgainAndWritesItsReportsAgain() throws Exception {
    Path b = build("b1");
    Path data = tmp.resolve("data");
    Path reports = tmp.resolve("out");
    assertThat(
            ProteusMain.execute(
                "run", "--data", data.toString(), b.toString(), "--out", reports.toString()))
        .as(stdout() + errText())
        .isZero();
    assertThat(data.resolve("run.json")).exists();
    assertThat(Files.readAllLines(data.resolve("delivered.log"))).hasSize(1);
    Files.delete(reports.resolve("summary.json"));
    out.reset();
    assertThat(ProteusMain.execute("run", "--data", data.toString(), "--out", reports.toString()))
        .as(stdout() + errText())
        .isZero();
    assertThat(stdout()).contains("Resuming the run of").doesNotContain("attempt 1 on");
    assertThat(reports.resolve("summary.json")).exists();
    assertThat(Files.readAllLines(data.resolve("delivered.log"))).hasSize(1);
  }

  @Test
  void aFolderThatHoldsSomethingElseIsRefused() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(data.resolve("notes.txt"), "keep me");
    assertThat(ProteusMain.execute("run", "--data", data.toString(), build("b2").toString()))
        .isEqualTo(2);
    assertThat(errText()).contains("holds no run (no run.json)");
    assertThat(data.resolve("notes.txt")).hasContent("keep me");
  }

  @Test
  void aBrokenRunFileIsRefused() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("broken"));
    Files.writeString(data.resolve("run.json"), "{\"format\":9}");
    assertThat(ProteusMain.execute("run", "--data", data.toString())).isEqualTo(2);
    assertThat(errText()).contains("is not a run file of format 1");
  }

  @Test
  void anotherBuildOnAKeptRunIsRefused() throws Exception {
    Path data = tmp.resolve("data2");
    Path reports = tmp.resolve("out2");
    assertThat(
            ProteusMain.execute(
                "run",
                "--data",
                data.toString(),
                build("b3").toString(),
                "--out",
                reports.toString()))
        .isZero();
    assertThat(ProteusMain.execute("run", "--data", data.toString(), build("b4").toString()))
        .isEqualTo(2);
    assertThat(errText()).contains("holds the run of").contains("give another --data folder");
  }

  @Test
  void noBuildAndNoKeptRunIsRefused() {
    assertThat(ProteusMain.execute("run", "--data", tmp.resolve("empty").toString())).isEqualTo(2);
    assertThat(errText()).contains("holds no run; give the build to run");
  }

  @Test
  void keepWorkWithDataIsRefused() throws Exception {
    assertThat(
            ProteusMain.execute(
                "run",
                "--data",
                tmp.resolve("d5").toString(),
                "--keep-work",
                build("b5").toString()))
        .isEqualTo(2);
    assertThat(errText()).contains("--keep-work is for runs without --data");
  }
}
