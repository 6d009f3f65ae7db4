package io.proteus.core.archive;

import static io.proteus.core.archive.TestArchives.paxRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.ArchiveException;
import io.proteus.core.archive.TestArchives.Dir;
import io.proteus.core.archive.TestArchives.E;
import io.proteus.core.archive.TestArchives.F;
import io.proteus.core.archive.TestArchives.Hard;
import io.proteus.core.archive.TestArchives.RawTar;
import io.proteus.core.archive.TestArchives.Sym;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entry names and link targets: what is refused, what is unpacked, and at which boundary. */
class EntryNamesTest {
  @TempDir Path tmp;
  int targets;

  Path target() {
    return tmp.resolve("t" + ++targets);
  }

  Path tar(E... entries) throws IOException {
    return TestArchives.tarGz(tmp, entries);
  }

  void assertRefused(ArchiveLimits limits, Path archive, String message) {
    Path t = target();
    assertThatThrownBy(() -> new ArchiveExtractor(limits).extract(archive, t))
        .isInstanceOf(ArchiveException.class)
        .hasMessage(archive.getFileName() + message);
    assertThat(t).doesNotExist();
  }

  void assertRefused(Path archive, String message) {
    assertRefused(ArchiveLimits.DEFAULT, archive, message);
  }

  Path unpacked(ArchiveLimits limits, Path archive) {
    Path t = target();
    new ArchiveExtractor(limits).extract(archive, t);
    return t;
  }

  Path paxNamed(String name) throws IOException {
    return new RawTar()
        .pax(TarConstants.LF_PAX_EXTENDED_HEADER_LC, paxRecord("path", name))
        .file("placeholder", "x")
        .write(Files.createTempFile(tmp, "pax", ".tar"));
  }

  @Test
  void controlCharactersAndNulsInNamesAreRefused() throws IOException {
    assertRefused(
        paxNamed("a\0b"), ": entry #1 'a\\u0000b': its name has the control character U+0000");
    assertRefused(
        paxNamed("a\nb"), ": entry #1 'a\\u000Ab': its name has the control character U+000A");
    assertRefused(
        paxNamed("a\u007fb"), ": entry #1 'a\\u007Fb': its name has the control character U+007F");
    assertRefused(
        paxNamed("a\u001fb"), ": entry #1 'a\\u001Fb': its name has the control character U+001F");
    assertThat(unpacked(ArchiveLimits.DEFAULT, paxNamed("a b~é")).resolve("a b~é")).hasContent("x");
  }

  @Test
  void anEmptyNameIsRefused() throws IOException {
    Path archive = new RawTar().file("", "x").write(tmp.resolve("empty.tar"));
    assertRefused(archive, ": entry #1 '': its name is empty");
  }

  @Test
  void controlCharactersInLinkTargetsAreRefused() throws IOException {
    assertRefused(
        tar(new Sym("l", "a\tb")),
        ": entry #1 'l': its link target has the control character U+0009");
    assertRefused(
        tar(new F("f", "1"), new Hard("h", "f\r")),
        ": entry #2 'h': its hard link target has the control character U+000D");
  }

  @Test
  void backslashesAreSeparators() throws IOException {
    Path t = unpacked(ArchiveLimits.DEFAULT, tar(new F("dir\\sub\\file", "x")));
    assertThat(t.resolve("dir/sub/file")).hasContent("x");
    assertRefused(
        tar(new F("a\\..\\..\\evil", "x")),
        ": entry #1 'a\\..\\..\\evil': its name has a '..', which could land outside the target"
            + " folder; refused");
  }

  @Test
  void absolutePathsOfEveryKindAreRefused() throws IOException {
    for (String name : new String[] {"C:\\evil", "c:evil", "Z:/evil", "\\\\server\\share\\evil"}) {
      assertRefused(paxNamed(name), ": entry #1 '" + name + "': its name is an absolute path");
    }
    assertRefused(
        tar(new F("/etc/evil", "x")), ": entry #1 '/etc/evil': its name is an absolute path");
    assertThat(unpacked(ArchiveLimits.DEFAULT, paxNamed("/etc/evil")).resolve("etc/evil"))
        .as("the tar reader makes a PAX path relative")
        .hasContent("x");
    assertThat(unpacked(ArchiveLimits.DEFAULT, paxNamed("1:x")).resolve("1:x")).hasContent("x");
  }

  @Test
  void aDotDotAnywhereInANameIsRefusedEvenWhenItStaysInside() throws IOException {
    assertRefused(
        tar(new F("a/../b", "x")),
        ": entry #1 'a/../b': its name has a '..', which could land outside the target folder;"
            + " refused");
    assertRefused(
        tar(new F("a/..", "x")),
        ": entry #1 'a/..': its name has a '..', which could land outside the target folder;"
            + " refused");
    Path t = unpacked(ArchiveLimits.DEFAULT, tar(new F("a/..b/c..", "x"), new F("./d/./e", "y")));
    assertThat(t.resolve("a/..b/c..")).hasContent("x");
    assertThat(t.resolve("d/e")).hasContent("y");
  }

  @Test
  void theDepthHoldsAtItsBoundary() throws IOException {
    ArchiveLimits three = ArchiveLimits.DEFAULT.withMaxDepth(3);
    assertThat(unpacked(three, tar(new F("a/b/c", "x"), new F("./d/./e//f", "y"))).resolve("d/e/f"))
        .hasContent("y");
    assertRefused(
        three,
        tar(new F("a/b/c/d", "x")),
        ": entry #1 'a/b/c/d': its name has 4 levels, over the limit of 3");
    assertRefused(
        three,
        tar(new F("f", "1"), new Hard("h", "a/b/c/f")),
        ": entry #2 'h': its hard link target has 4 levels, over the limit of 3");
  }

  @Test
  void theNameLengthHoldsAtItsBoundaryInUtf8Bytes() throws IOException {
    ArchiveLimits ten = ArchiveLimits.DEFAULT.withMaxNameBytes(10);
    assertThat(unpacked(ten, tar(new F("0123456789", "x"))).resolve("0123456789")).hasContent("x");
    assertRefused(
        ten,
        tar(new F("01234567890", "x")),
        ": entry #1 '01234567890': its name has 11 bytes, over the limit of 10 bytes");
    assertThat(unpacked(ten, tar(new F("ééééé", "x"))).resolve("ééééé")).hasContent("x");
    assertRefused(
        ten,
        tar(new F("éééééé", "x")),
        ": entry #1 'éééééé': its name has 12 bytes, over the limit of 10 bytes");
    assertRefused(
        ten,
        tar(new Sym("l", "01234567890")),
        ": entry #1 'l': its link target has 11 bytes, over the limit of 10 bytes");
  }

  @Test
  void anEntryMayNotNameTheTargetItself() throws IOException {
    assertThat(unpacked(ArchiveLimits.DEFAULT, tar(new Dir("./"), new F("a", "x"))).resolve("a"))
        .hasContent("x");
    assertRefused(tar(new F(".", "x")), ": entry #1 '.': it names the target folder itself");
    assertRefused(tar(new Sym("./", "a")), ": entry #1 './': it names the target folder itself");
    assertRefused(
        tar(new F("f", "x"), new Hard(".", "f")),
        ": entry #2 '.': it names the target folder itself");
  }

  @Test
  void longNamesAreCutInMessages() throws IOException {
    String name = "n".repeat(300);
    assertRefused(
        ArchiveLimits.DEFAULT.withMaxNameBytes(200),
        tar(new F(name, "x")),
        ": entry #1 '"
            + "n".repeat(160)
            + "... (300 characters)': its name has 300 bytes, over the limit of 200 bytes");
  }
}
