package io.proteus.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.ArchiveException;
import io.proteus.core.archive.TestArchives.Dir;
import io.proteus.core.archive.TestArchives.E;
import io.proteus.core.archive.TestArchives.F;
import io.proteus.core.archive.TestArchives.Hard;
import io.proteus.core.archive.TestArchives.Sym;
import io.proteus.core.internal.util.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Links can neither escape the target nor be written through, whatever their order. */
class LinkRulesTest {
  @TempDir Path tmp;
  Path sandbox;
  Path target;
  Path outside;
  Map<Path, String> before;
  final ArchiveExtractor extractor = new ArchiveExtractor(ArchiveLimits.DEFAULT);

  @BeforeEach
  void setUp() throws IOException {
    sandbox = Files.createDirectories(tmp.resolve("sandbox/inner"));
    target = sandbox.resolve("target");
    outside = Files.writeString(tmp.resolve("sandbox/outside.txt"), "secret");
    before = Snapshot.of(tmp.resolve("sandbox"), target);
  }

  Path tarGz(E... entries) throws IOException {
    return TestArchives.tarGz(Files.createDirectories(tmp.resolve("archives")), entries);
  }

  Path zip(E... entries) throws IOException {
    return TestArchives.zip(Files.createDirectories(tmp.resolve("archives")), entries);
  }

  void assertRefused(Path archive, String message) throws IOException {
    assertThatThrownBy(() -> extractor.extract(archive, target))
        .isInstanceOf(ArchiveException.class)
        .hasMessageEndingWith(message);
    assertThat(target).doesNotExist();
    assertThat(Snapshot.of(tmp.resolve("sandbox"), target)).isEqualTo(before);
  }

  Path unpacked(Path archive) throws IOException {
    extractor.extract(archive, target);
    assertThat(Snapshot.of(tmp.resolve("sandbox"), target)).isEqualTo(before);
    Snapshot.assertEveryLinkStaysInside(target);
    return target;
  }

  static E[] chain(boolean linksBeforeWhatTheyGoThrough) {
    List<E> links = new ArrayList<>();
    links.add(new Sym("l1", "."));
    for (int i = 2; i <= 10; i++) {
      links.add(new Sym("l" + i, "l" + (i - 1) + "/.."));
    }
    links.add(new Sym("passwd", "l10/etc/passwd"));
    if (linksBeforeWhatTheyGoThrough) {
      java.util.Collections.reverse(links);
    }
    return links.toArray(E[]::new);
  }

  @Test
  void theChainToEtcPasswdIsRefusedInEitherOrder() throws IOException {
    assertRefused(
        tarGz(chain(true)),
        ": entry #2 'l10': it is a link to 'l9/..', which has a '..' after a name; a link target"
            + " may only start with '..'");
    assertRefused(
        tarGz(chain(false)),
        ": entry #2 'l2': it is a link to 'l1/..', which has a '..' after a name; a link target"
            + " may only start with '..'");
    assertRefused(
        zip(chain(true)),
        ": entry #2 'l10': it is a link to 'l9/..', which has a '..' after a name; a link target"
            + " may only start with '..'");
  }

  @Test
  void aLinkMayClimbExactlyAsHighAsItSits() throws IOException {
    Path t = unpacked(tarGz(new F("x", "1"), new Sym("a/b/l", "../../x"), new Sym("top", ".")));
    assertThat(t.resolve("a/b/l")).hasContent("1");
    Trees.deleteQuietly(t);
    assertRefused(
        tarGz(new Sym("a/b/l", "../../../x")),
        ": entry #1 'a/b/l': it is a link to '../../../x', which points outside the target"
            + " folder");
    assertRefused(
        tarGz(new Sym("l", "..")),
        ": entry #1 'l': it is a link to '..', which points outside the target folder");
  }

  @Test
  void dotsAndEmptyPartsOfALinkTargetCountForNothing() throws IOException {
    Path t =
        unpacked(
            tarGz(
                new F("d/x", "1"),
                new Sym("a/l1", "./../d/./x"),
                new Sym("a/l2", "..//d//x"),
                new Sym("a/l3", "../d/x/")));
    assertThat(t.resolve("a/l1")).hasContent("1");
    assertThat(t.resolve("a/l2")).hasContent("1");
    Trees.deleteQuietly(t);
    assertRefused(
        tarGz(new Sym("a/l", "./.././../x")),
        ": entry #1 'a/l': it is a link to './.././../x', which points outside the target folder");
    assertRefused(
        tarGz(new F("d/x", "1"), new Sym("l", "d/./../d/x")),
        ": entry #2 'l': it is a link to 'd/./../d/x', which has a '..' after a name; a link"
            + " target may only start with '..'");
  }

  @Test
  void aLinkMayGoThroughOtherLinksInside() throws IOException {
    Path t =
        unpacked(
            tarGz(
                new F("v1/tool", "v1"),
                new Sym("current", "v1"),
                new Sym("bin/tool", "../current/tool")));
    assertThat(t.resolve("bin/tool")).hasContent("v1");
  }

  @Test
  void aLinkToAnAbsolutePathIsRefused() throws IOException {
    for (String abs : List.of("/etc/passwd", "C:\\Windows", "c:x", "\\\\server\\share")) {
      assertRefused(
          tarGz(new Sym("l", abs)),
          ": entry #1 'l': it is a link to the absolute path '" + abs + "'");
    }
  }

  @Test
  void nothingIsWrittenThroughALinkMadeBefore() throws IOException {
    assertRefused(
        tarGz(new Dir("real/"), new Sym("d", "real"), new F("d/x", "1")),
        ": entry #3 'd/x': it would be written through the link 'd'");
    assertRefused(
        tarGz(new Sym("d", "missing"), new F("d/x", "1")),
        ": entry #2 'd/x': it would be written through the link 'd'");
    assertRefused(
        tarGz(new Sym("d", "missing"), new Dir("d/sub/")),
        ": entry #2 'd/sub/': it would be written through the link 'd'");
    assertRefused(
        tarGz(new Sym("d", "missing"), new Sym("d/l", "x")),
        ": entry #2 'd/l': it would be written through the link 'd'");
    assertRefused(
        tarGz(new F("f", "1"), new Sym("d", "."), new Hard("d/h", "f")),
        ": entry #3 'd/h': it would be written through the link 'd'");
  }

  @Test
  void aLinkIsNeverReplaced() throws IOException {
    assertRefused(
        tarGz(new Sym("a", "b"), new F("a", "x")),
        ": entry #2 'a': it appears twice, or would replace a file, folder or link unpacked before"
            + " it");
    assertRefused(
        tarGz(new Sym("a", "b"), new Dir("a/")),
        ": entry #2 'a/': it would be written through the link 'a'");
    assertRefused(
        tarGz(new Sym("a", "b"), new Sym("a", "c")),
        ": entry #2 'a': it would replace a file, folder or link unpacked before it");
    assertRefused(
        tarGz(new F("f", "1"), new Sym("a", "f"), new Hard("a", "f")),
        ": entry #3 'a': it would replace a file, folder or link unpacked before it");
  }

  @Test
  void aFileOrFolderIsNeverReplaced() throws IOException {
    assertRefused(
        tarGz(new F("a", "1"), new Sym("a", "b")),
        ": entry #2 'a': it would replace a file, folder or link unpacked before it");
    assertRefused(
        tarGz(new Dir("a/"), new Sym("a", "b")),
        ": entry #2 'a': it would replace a file, folder or link unpacked before it");
    assertRefused(
        tarGz(new F("a", "1"), new Dir("a/")),
        ": entry #2 'a/': 'a' is a file unpacked before it, not a folder");
    assertRefused(
        tarGz(new F("a", "1"), new F("a/b", "2")),
        ": entry #2 'a/b': 'a' is a file unpacked before it, not a folder");
    assertRefused(
        tarGz(new F("a", "1"), new F("a", "2")),
        ": entry #2 'a': it appears twice, or would replace a file, folder or link unpacked before"
            + " it");
  }

  @Test
  void aHardLinkMustNameAFileUnpackedBeforeItReachedWithoutLinks() throws IOException {
    String notAFile = "', which is not a file unpacked before it (reached without links)";
    assertRefused(
        tarGz(new Hard("h", "missing")),
        ": entry #1 'h': it is a hard link to 'missing" + notAFile);
    assertRefused(
        tarGz(new Dir("d/"), new Hard("h", "d")),
        ": entry #2 'h': it is a hard link to 'd" + notAFile);
    assertRefused(
        tarGz(new F("f", "1"), new Sym("l", "f"), new Hard("h", "l")),
        ": entry #3 'h': it is a hard link to 'l" + notAFile);
    assertRefused(
        tarGz(new F("d/f", "1"), new Sym("l", "d"), new Hard("h", "l/f")),
        ": entry #3 'h': it is a hard link to 'l/f" + notAFile);
    assertRefused(
        tarGz(new Hard("h", "../outside.txt")),
        ": entry #1 'h': its hard link target has a '..', which could land outside the target"
            + " folder; refused");
    assertRefused(
        tarGz(new Hard("h", outside.toString())),
        ": entry #1 'h': its hard link target is an absolute path");
    assertThat(Files.getAttribute(outside, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1);
  }

  @Test
  void aHardLinkInsideMayBeDeepAndNamedTwice() throws IOException {
    Path t =
        unpacked(tarGz(new F("a/b/f", "1"), new Hard("c/h1", "a/b/f"), new Hard("c/h2", "c/h1")));
    assertThat(t.resolve("c/h2")).hasContent("1");
    assertThat(Files.getAttribute(t.resolve("a/b/f"), "unix:nlink")).isEqualTo(3);
  }
}
