package io.proteus.core.archive;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random archives of folders, files, symbolic links (relative targets with {@code ..},
 * {@code .} and chains) and hard links, unpacked three folders deep inside a sentinel folder:
 * whether each is unpacked or refused, nothing outside the target changes and no path in the target
 * resolves outside it.
 */
class ArchiveFuzzTest {
  static final int ARCHIVES = 800;
  static final String[] NAMES = {"a", "b", "d", "l1", "l2", "l3"};
  static final String[] DOWN = {".", "a", "b", "d", "l1", "l2", "l3", "outside", "secret.txt"};
  static final String[] PARTS = {
    "..", "..", "..", ".", "", "a", "b", "d", "l1", "l2", "l3", "outside", "secret.txt", "x", "y"
  };

  @TempDir Path tmp;
  Path sentinel;
  Path target;
  Path archives;
  final ArchiveExtractor extractor = new ArchiveExtractor(ArchiveLimits.DEFAULT);

  @BeforeEach
  void setUp() throws IOException {
    sentinel = Files.createDirectories(tmp.resolve("sentinel"));
    Files.createDirectories(sentinel.resolve("outside/d"));
    Files.writeString(sentinel.resolve("outside/secret.txt"), "secret");
    Files.writeString(sentinel.resolve("secret.txt"), "secret");
    target = Files.createDirectories(sentinel.resolve("x/y")).resolve("target");
    archives = Files.createDirectories(tmp.resolve("archives"));
  }

  @Test
  void noRandomArchiveChangesAnythingOutsideOrLeavesALinkThatLeadsOut() throws IOException {
    Map<Path, String> before = Snapshot.of(sentinel, target);
    int unpacked = 0;
    int links = 0;
    int hardLinks = 0;
    int refused = 0;
    for (long seed = 1; seed <= ARCHIVES; seed++) {
      Random r = new Random(seed);
      boolean zip = r.nextInt(4) == 0;
      List<E> entries = entries(r, zip);
      Path archive =
          zip
              ? TestArchives.zip(archives, entries.toArray(E[]::new))
              : TestArchives.tarGz(archives, entries.toArray(E[]::new));
      String what = "seed " + seed + ": " + entries;
      try {
        extractor.extract(archive, target);
        unpacked++;
        Snapshot.assertEveryLinkStaysInside(target, what);
        links += countLinks(target);
        hardLinks += countHardLinks(target);
      } catch (ArchiveException e) {
        refused++;
        assertThat(target).as(what).doesNotExist();
      }
      assertThat(Snapshot.of(sentinel, target)).as(what).isEqualTo(before);
      Trees.deleteQuietly(target);
      Files.delete(archive);
    }
    String counts =
        unpacked
            + " unpacked, "
            + refused
            + " refused, "
            + links
            + " links, "
            + hardLinks
            + " hard links";
    assertThat(unpacked).as(counts).isGreaterThan(ARCHIVES / 8);
    assertThat(refused).as(counts).isGreaterThan(ARCHIVES / 8);
    assertThat(links).as(counts).isGreaterThan(ARCHIVES / 12);
    assertThat(hardLinks).as(counts).isGreaterThan(ARCHIVES / 80);
  }

  static List<E> entries(Random r, boolean zip) {
    List<E> entries = new ArrayList<>();
    List<String> files = new ArrayList<>();
    if (r.nextInt(4) == 0) {
      entries.addAll(chain(r));
    }
    int n = 1 + r.nextInt(6);
    for (int i = 0; i < n; i++) {
      String name = path(r);
      int depth = name.split("/").length - 1;
      int kind = r.nextInt(10);
      if (kind < 2) {
        entries.add(new Dir(name + "/"));
      } else if (kind < 4) {
        entries.add(new F(name, "x" + i));
        files.add(name);
      } else if (kind < 8 || zip) {
        entries.add(new Sym(name, linkTarget(r, depth)));
      } else if (!files.isEmpty() && r.nextInt(4) > 0) {
        entries.add(new Hard(name, files.get(r.nextInt(files.size()))));
      } else {
        entries.add(new Hard(name, r.nextBoolean() ? linkTarget(r, depth) : path(r)));
      }
    }
    return entries;
  }

  /** Links each going up through the one before, in a random order, and a link through them. */
  static List<E> chain(Random r) {
    String dir = r.nextBoolean() ? "" : NAMES[r.nextInt(NAMES.length)] + "/";
    int k = 2 + r.nextInt(4);
    List<E> links = new ArrayList<>();
    links.add(new Sym(dir + "c1", r.nextBoolean() ? "." : ".."));
    for (int i = 2; i <= k; i++) {
      links.add(new Sym(dir + "c" + i, "c" + (i - 1) + "/.."));
    }
    links.add(new Sym(dir + "secret", "c" + k + "/outside/secret.txt"));
    java.util.Collections.shuffle(links, r);
    return links;
  }

  static String path(Random r) {
    int n = 1 + r.nextInt(3);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int odd = r.nextInt(150);
      parts.add(odd == 0 ? ".." : odd == 1 ? "." : NAMES[r.nextInt(NAMES.length)]);
    }
    return String.join("/", parts);
  }

  /** Mostly targets the rule allows (some {@code ..} then names), else any mix of parts. */
  static String linkTarget(Random r, int depth) {
    List<String> parts = new ArrayList<>();
    if (r.nextInt(10) < 7) {
      for (int up = r.nextInt(depth + 2); up > 0; up--) {
        parts.add("..");
      }
      for (int down = r.nextInt(3); down > 0; down--) {
        parts.add(DOWN[r.nextInt(DOWN.length)]);
      }
    } else {
      for (int i = 1 + r.nextInt(4); i > 0; i--) {
        if (r.nextBoolean()) {
          parts.add(NAMES[r.nextInt(NAMES.length)]);
          parts.add("..");
        } else {
          parts.add(PARTS[r.nextInt(PARTS.length)]);
        }
      }
    }
    String t = (r.nextInt(60) == 0 ? "/" : "") + String.join("/", parts);
    return t.isEmpty() ? "." : t;
  }

  static int countHardLinks(Path dir) throws IOException {
    int n = 0;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
        n += ((Integer) Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS)) - 1;
      }
    }
    return n;
  }

  static int countLinks(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return (int) walk.filter(Files::isSymbolicLink).count();
    }
  }
}
