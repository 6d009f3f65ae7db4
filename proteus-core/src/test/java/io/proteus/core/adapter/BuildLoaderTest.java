package io.proteus.core.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.ArchiveException;
import io.proteus.ProteusException;
import io.proteus.core.archive.ArchiveLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The size a build reserves bounds what loading it writes. */
class BuildLoaderTest {
  static final String PLAN =
      "{\"name\":\"p\",\"platforms\":[\"linux\"],\"tests\":[{\"name\":\"ok\",\"binary\":\"tests.json\"}]}";

  @TempDir Path tmp;
  final BuildLoader loader = new BuildLoader(ArchiveLimits.DEFAULT);

  Path zip(int payload) throws IOException {
    Path file = tmp.resolve("build.zip");
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
      zip.putArchiveEntry(new ZipArchiveEntry("tests.json"));
      zip.write(PLAN.getBytes(StandardCharsets.UTF_8));
      zip.closeArchiveEntry();
      zip.putArchiveEntry(new ZipArchiveEntry("payload.bin"));
      zip.write(new byte[payload]);
      zip.closeArchiveEntry();
    }
    return file;
  }

  /** Makes every central directory record claim {@code size} unpacked bytes. */
  static void lie(Path zip, int size) throws IOException {
    byte[] bytes = Files.readAllBytes(zip);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i + 46 <= bytes.length; i++) {
      if (b.getInt(i) == 0x02014b50) {
        b.putInt(i + 24, size);
      }
    }
    Files.write(zip, bytes);
  }

  @Test
  void aZipWhoseCentralDirectoryUnderStatesItsSizeIsRefusedWithinTheReservation()
      throws IOException {
    Path zip = zip(1 << 20);
    lie(zip, 0);
    long size = loader.size(zip);
    assertThat(size).isZero();
    Path target = tmp.resolve("build");
    assertThatThrownBy(() -> loader.load(zip, target, size))
        .isInstanceOf(ArchiveException.class)
        .hasMessage(
            "build.zip: entry #1 'tests.json': it unpacks to more than the 0 bytes the archive"
                + " declares for it");
    assertThat(target).doesNotExist();
  }

  @Test
  void anHonestZipLoadsWithinExactlyItsSize() throws IOException {
    Path zip = zip(1000);
    long size = loader.size(zip);
    assertThat(size).isEqualTo(PLAN.length() + 1000);
    BuildLoader.Loaded loaded = loader.load(zip, tmp.resolve("build"), size);
    assertThat(loaded.plan().plans()).hasSize(1);
    assertThatThrownBy(() -> loader.load(zip, tmp.resolve("again"), size - 1))
        .isInstanceOf(ArchiveException.class)
        .hasMessage(
            "build.zip: its entries declare "
                + size
                + " bytes, more than the "
                + (size - 1)
                + " bytes reserved for it");
  }

  @Test
  void aTarWithHardLinksLoadsWithinTheSizeItDeclares() throws IOException {
    Path tar = tmp.resolve("build.tar");
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      byte[] plan = PLAN.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry("tests.json");
      e.setSize(plan.length);
      out.putArchiveEntry(e);
      out.write(plan);
      out.closeArchiveEntry();
      for (int i = 0; i < 50; i++) {
        TarArchiveEntry h = new TarArchiveEntry("copy" + i, TarConstants.LF_LINK);
        h.setLinkName("tests.json");
        out.putArchiveEntry(h);
        out.closeArchiveEntry();
      }
    }
    long size = loader.size(tar);
    assertThat(size).isEqualTo(PLAN.length());
    Path root = loader.load(tar, tmp.resolve("build"), size).root();
    assertThat(root.resolve("copy49")).hasContent(PLAN);
  }

  @Test
  void aFolderIsCopiedWithinTheReservation() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(dir.resolve("tests.json"), PLAN);
    Files.write(dir.resolve("data"), new byte[100]);
    long size = loader.size(dir);
    assertThat(size).isEqualTo(PLAN.length() + 100);
    assertThat(loader.load(dir, tmp.resolve("copy"), size).root().resolve("data")).hasSize(100);
    assertThatThrownBy(() -> loader.load(dir, tmp.resolve("short"), size - 1))
        .isInstanceOf(ProteusException.class)
        .hasMessage("build src holds more than the " + (size - 1) + " bytes reserved for it");
  }

  @Test
  void aBuildThatDeclaresMoreThanTheLimitIsRefusedWhenMeasured() throws IOException {
    Path zip = zip(1000);
    BuildLoader small = new BuildLoader(ArchiveLimits.DEFAULT.withMaxTotalBytes(1000));
    assertThatThrownBy(() -> small.size(zip))
        .isInstanceOf(ArchiveException.class)
        .hasMessage(
            "build.zip: its entries declare "
                + (PLAN.length() + 1000)
                + " bytes, over the limit of 1000 bytes");
  }

  static Path folderWith(Path dir, String plan) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tests.json"), plan);
    return dir;
  }

  static String planOf(String test) {
    return "{\"name\":\"p\",\"platforms\":[\"linux\"],\"tests\":[" + test + "]}";
  }

  @Test
  void aBinaryTheBuildLacksIsALocatedErrorNamingIt() throws IOException {
    Path dir = folderWith(tmp.resolve("src"), planOf("{\"name\":\"t\",\"binary\":\"bin/gone\"}"));
    assertThatThrownBy(() -> loader.load(dir, tmp.resolve("copy")))
        .isInstanceOf(io.proteus.PlanException.class)
        .hasMessageContaining("tests.json:1:")
        .hasMessageContaining("tests[0].binary")
        .hasMessageContaining("the build has no file 'bin/gone'");
  }

  @Test
  void aScenarioOrDockerfileTheBuildLacksIsRefusedToo() throws IOException {
    Path one =
        folderWith(
            tmp.resolve("one"),
            planOf("{\"name\":\"t\",\"binary\":\"tests.json\",\"scenario\":\"run.sh\"}"));
    assertThatThrownBy(() -> loader.load(one, tmp.resolve("c1")))
        .hasMessageContaining("tests[0].scenario")
        .hasMessageContaining("'run.sh'");
    Path two =
        folderWith(
            tmp.resolve("two"),
            planOf(
                "{\"name\":\"t\",\"binary\":\"tests.json\","
                    + "\"container\":{\"dockerfile\":\"Dockerfile\"}}"));
    assertThatThrownBy(() -> loader.load(two, tmp.resolve("c2")))
        .hasMessageContaining("tests[0].container.dockerfile")
        .hasMessageContaining("'Dockerfile'");
  }

  @Test
  void aBinaryThatIsALinkOrAFolderIsRefused() throws IOException {
    Path dir = folderWith(tmp.resolve("src"), planOf("{\"name\":\"t\",\"binary\":\"bin\"}"));
    Files.createDirectories(dir.resolve("bin"));
    assertThatThrownBy(() -> loader.readPlan(dir, "src"))
        .hasMessageContaining("'bin' is not a regular file");
    Path linked = folderWith(tmp.resolve("linked"), planOf("{\"name\":\"t\",\"binary\":\"ln/x\"}"));
    Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(tmp.resolve("elsewhere/x"), "x");
    Files.createSymbolicLink(linked.resolve("ln"), tmp.resolve("elsewhere"));
    assertThatThrownBy(() -> loader.readPlan(linked, "linked"))
        .hasMessageContaining("goes through a link");
  }
}
