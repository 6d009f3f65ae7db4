package io.proteus.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.ArchiveException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveExtractorTest {
  @TempDir Path tmp;
  Path sandbox;
  Path target;
  final ArchiveExtractor extractor = new ArchiveExtractor(ArchiveLimits.DEFAULT);

  @BeforeEach
  void setUp() throws IOException {
    sandbox = Files.createDirectories(tmp.resolve("sandbox/inner"));
    target = sandbox.resolve("target");
  }

  sealed interface E {}

  record F(String name, String content) implements E {}

  record Sym(String name, String linkTo) implements E {}

  record Hard(String name, String linkTo) implements E {}

  Path tarGz(E... entries) throws IOException {
    Path file = tmp.resolve("a" + System.nanoTime() + ".tar.gz");
    try (OutputStream out = Files.newOutputStream(file);
        GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (E e : entries) {
        switch (e) {
          case F f -> {
            byte[] b = f.content().getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry t = new TarArchiveEntry(f.name(), true);
            t.setSize(b.length);
            tar.putArchiveEntry(t);
            tar.write(b);
            tar.closeArchiveEntry();
          }
          case Sym s -> {
            TarArchiveEntry t = new TarArchiveEntry(s.name(), TarArchiveEntry.LF_SYMLINK, true);
            t.setLinkName(s.linkTo());
            tar.putArchiveEntry(t);
            tar.closeArchiveEntry();
          }
          case Hard h -> {
            TarArchiveEntry t = new TarArchiveEntry(h.name(), TarArchiveEntry.LF_LINK, true);
            t.setLinkName(h.linkTo());
            tar.putArchiveEntry(t);
            tar.closeArchiveEntry();
          }
        }
      }
    }
    return file;
  }

  Path zip(E... entries) throws IOException {
    Path file = tmp.resolve("z" + System.nanoTime() + ".zip");
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
      for (E e : entries) {
        switch (e) {
          case F f -> {
            zip.putArchiveEntry(new ZipArchiveEntry(f.name()));
            zip.write(f.content().getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
          }
          case Sym s -> {
            ZipArchiveEntry z = new ZipArchiveEntry(s.name());
            z.setUnixMode(UnixStat.LINK_FLAG | 0777);
            zip.putArchiveEntry(z);
            zip.write(s.linkTo().getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
          }
          case Hard h -> throw new IllegalArgumentException("zip has no hard links");
        }
      }
    }
    return file;
  }

  List<Path> everythingUnder(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.toList();
    }
  }

  void assertRefusedAndNothingOutside(Path archive, String message) throws IOException {
    assertThatThrownBy(() -> extractor.extract(archive, target))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining(message);
    assertThat(target).doesNotExist();
    assertThat(everythingUnder(tmp.resolve("sandbox")))
        .containsExactlyInAnyOrder(tmp.resolve("sandbox"), sandbox);
    assertThat(tmp.resolve("evil.txt")).doesNotExist();
    assertThat(tmp.resolve("sandbox/evil.txt")).doesNotExist();
  }

  @Test
  void unpacksAGoodTarGzAndZip() throws IOException {
    extractor.extract(
        tarGz(new F("tests.json", "{}"), new F("bin/tool", "x"), new Sym("bin/alias", "tool")),
        target);
    assertThat(target.resolve("bin/tool")).hasContent("x");
    assertThat(Files.isSymbolicLink(target.resolve("bin/alias"))).isTrue();
    Path other = sandbox.resolve("zipped");
    extractor.extract(zip(new F("tests.json", "{}"), new F("a/b.txt", "hi")), other);
    assertThat(other.resolve("a/b.txt")).hasContent("hi");
  }

  @Test
  void zipSlipIsRefused() throws IOException {
    assertRefusedAndNothingOutside(
        zip(new F("ok.txt", "x"), new F("../evil.txt", "x")), "outside the target");
    assertRefusedAndNothingOutside(tarGz(new F("a/../../evil.txt", "x")), "outside the target");
  }

  @Test
  void absolutePathsAreRefused() throws IOException {
    assertRefusedAndNothingOutside(tarGz(new F("/tmp/evil.txt", "x")), "absolute path");
    assertRefusedAndNothingOutside(zip(new F("/evil.txt", "x")), "absolute path");
  }

  @Test
  void symlinksThatEscapeAreRefused() throws IOException {
    assertRefusedAndNothingOutside(tarGz(new Sym("link", "../../..")), "points outside");
    assertRefusedAndNothingOutside(tarGz(new Sym("link", "/etc")), "absolute path");
    assertRefusedAndNothingOutside(zip(new Sym("link", "../evil.txt")), "points outside");
  }

  @Test
  void aLaterEntryCannotWriteThroughALinkAnEarlierOneMade() throws IOException {
    assertRefusedAndNothingOutside(
        tarGz(new F("d/keep.txt", "x"), new Sym("l", "d"), new F("l/evil.txt", "x")),
        "through the link");
    assertRefusedAndNothingOutside(
        tarGz(new Sym("l", "."), new F("l/../../evil.txt", "x")), "outside the target");
  }

  @Test
  void aLinkChainThatWouldEscapeIsRefused() throws IOException {
    assertRefusedAndNothingOutside(
        tarGz(new F("d/x", "x"), new Sym("d/up", ".."), new Sym("d/esc", "up/..")),
        "has a '..' after a name");
  }

  @Test
  void hardLinksThatEscapeAreRefused() throws IOException {
    assertRefusedAndNothingOutside(tarGz(new Hard("h", "../../evil.txt")), "outside the target");
    assertRefusedAndNothingOutside(
        tarGz(new Hard("h", "nothing-here")), "not a file unpacked before it");
    assertRefusedAndNothingOutside(
        tarGz(new Sym("s", "x"), new F("x", "1"), new Hard("h", "s")), "hard link to 's'");
  }

  @Test
  void anInsideHardLinkIsAHardLinkAndCostsNoBytes() throws IOException {
    Path archive = tarGz(new F("a.txt", "data"), new Hard("b.txt", "a.txt"));
    new ArchiveExtractor(ArchiveLimits.DEFAULT.withMaxTotalBytes(4)).extract(archive, target);
    assertThat(target.resolve("b.txt")).hasContent("data");
    assertThat(Files.isSymbolicLink(target.resolve("b.txt"))).isFalse();
    assertThat(Files.isSameFile(target.resolve("a.txt"), target.resolve("b.txt"))).isTrue();
  }

  @Test
  void aBombIsRefusedByRatio() throws IOException {
    Path bomb = tmp.resolve("bomb.zip");
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bomb)) {
      zip.putArchiveEntry(new ZipArchiveEntry("zeros.bin"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        zip.write(zeros);
      }
      zip.closeArchiveEntry();
    }
    assertThat(Files.size(bomb)).isLessThan(1 << 20);
    assertRefusedAndNothingOutside(bomb, "possible bomb");
  }

  @Test
  void limitsOnTotalBytesAndEntriesHold() throws IOException {
    ArchiveExtractor small = new ArchiveExtractor(new ArchiveLimits(10, 3, 1000));
    Path big = tarGz(new F("a", "0123456789abcdef"));
    assertThatThrownBy(() -> small.extract(big, target))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("more than 10 bytes");
    assertThat(target).doesNotExist();
    Path many = tarGz(new F("a", "1"), new F("b", "1"), new F("c", "1"), new F("d", "1"));
    assertThatThrownBy(() -> small.extract(many, target))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("more than 3 entries");
    assertThat(target).doesNotExist();
  }

  @Test
  void declaredSizeSumsEntries() throws IOException {
    assertThat(extractor.declaredSize(tarGz(new F("a", "123"), new F("b", "45")))).isEqualTo(5);
    assertThat(extractor.declaredSize(zip(new F("a", "123"), new F("b", "45")))).isEqualTo(5);
  }
}
