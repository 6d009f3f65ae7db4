package io.proteus.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives GNU tar makes in its default format unpack: their headers carry empty sparse slots,
 * which are not a sparse file.
 */
class GnuTarFormatTest {
  @TempDir Path tmp;

  static boolean gnuTar() {
    try {
      Process p = new ProcessBuilder("tar", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      return p.waitFor(10, TimeUnit.SECONDS) && out.contains("GNU tar");
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void aTarGzMadeByGnuTarInItsDefaultFormatUnpacks() throws Exception {
    assumeTrue(System.getenv("CI") != null || gnuTar(), "GNU tar is not installed");
    Path src = Files.createDirectories(tmp.resolve("src/bin"));
    Files.writeString(src.resolve("t.sh"), "#!/bin/sh\nexit 0\n");
    Files.writeString(tmp.resolve("src/tests.json"), "{}");
    Path archive = tmp.resolve("build.tgz");
    Process tar =
        new ProcessBuilder(
                "tar", "-czf", archive.toString(), "-C", tmp.resolve("src").toString(), ".")
            .inheritIO()
            .start();
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).isZero();
    Path out = tmp.resolve("out");
    new ArchiveExtractor(ArchiveLimits.DEFAULT).extract(archive, out);
    assertThat(out.resolve("bin/t.sh")).hasContent("#!/bin/sh\nexit 0\n");
    assertThat(out.resolve("tests.json")).exists();
  }
}
