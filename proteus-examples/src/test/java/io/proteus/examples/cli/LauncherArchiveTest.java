package io.proteus.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proteus run} on hostile archives, in a launcher JVM of its own with a 64 MB heap and its
 * temporary folder inside the test's, so the folders around the unpacked build are known.
 */
class LauncherArchiveTest {
  static final long HUGE = 400L << 20;

  @TempDir Path tmp;
  Path jvmTmp;

  record Run(int exitCode, String stdout, String stderr) {}

  @BeforeEach
  void setUp() throws IOException {
    jvmTmp = Files.createDirectories(tmp.resolve("jvm-tmp"));
  }

  Run proteus(String... args) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + jvmTmp,
                "-cp",
                cp,
                ProteusMain.class.getName()));
    command.addAll(List.of(args));
    Path out = tmp.resolve("stdout.txt");
    Path err = tmp.resolve("stderr.txt");
    Process p =
        new ProcessBuilder(command)
            .directory(tmp.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the launcher ends").isTrue();
      return new Run(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  static byte[] header(String name, byte type, long size) {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setSize(size);
    byte[] buf = new byte[512];
    e.writeEntryHeader(buf);
    return buf;
  }

  @Test
  void aLongNameOf400MbExitsTwoSayingWhatAndWhereWithoutRunningOutOfMemory() throws Exception {
    Path big = tmp.resolve("big.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(big), 1 << 16)) {
      out.write(header("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME, HUGE));
      byte[] a = new byte[1 << 20];
      Arrays.fill(a, (byte) 'a');
      for (long left = HUGE; left > 0; left -= a.length) {
        out.write(a);
      }
      out.write(header("tests.json", TarConstants.LF_NORMAL, 0));
      out.write(new byte[1024]);
    }
    assertThat(Files.size(big)).isLessThan(1 << 20);
    Run run = proteus("run", big.toString(), "--out", tmp.resolve("out").toString());
    assertThat(run.stderr())
        .contains(
            "proteus run: bad input: big.tar.gz: entry #1: a GNU long name record of 419430400"
                + " bytes is over the limit of 4096 bytes")
        .doesNotContain("OutOfMemoryError");
    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
  }

  @Test
  void aChainOfLinksOutOfTheBuildExitsTwoAndNothingOutsideIsReachable() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Path chain = tmp.resolve("chain.tar.gz");
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(chain)))) {
      file(
          tar,
          "tests.json",
          "{\"name\":\"chained\",\"platforms\":[\"linux\"],"
              + "\"tests\":[{\"name\":\"reads\",\"binary\":\"ok.sh\"}]}");
      file(tar, "ok.sh", "#!/bin/sh\nexit 0\n");
      link(tar, "secret", "l4/outside/secret.txt");
      link(tar, "l4", "l3/..");
      link(tar, "l3", "l2/..");
      link(tar, "l2", "l1/..");
      link(tar, "l1", ".");
    }
    Run run = proteus("run", chain.toString(), "--out", tmp.resolve("out").toString());
    assertThat(run.stderr())
        .contains(
            "proteus run: bad input: chain.tar.gz: entry #4 'l4': it is a link to 'l3/..', which"
                + " has a '..' after a name; a link target may only start with '..'");
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(2);
    assertThat(run.stdout()).doesNotContain("chained");
    try (Stream<Path> left = Files.walk(jvmTmp)) {
      assertThat(left.filter(Files::isSymbolicLink).toList())
          .as("links left where the build was unpacked")
          .isEmpty();
    }
  }

  static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(bytes.length);
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  static void link(TarArchiveOutputStream tar, String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
    e.setLinkName(target);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }
}
