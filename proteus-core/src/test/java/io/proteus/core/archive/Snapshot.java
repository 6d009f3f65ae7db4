package io.proteus.core.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** What a folder holds, to show nothing changed; and checks that links stay inside a folder. */
final class Snapshot {
  private Snapshot() {}

  /** Every path under {@code root} but {@code exclude}, with its kind, content and link count. */
  static Map<Path, String> of(Path root, Path exclude) throws IOException {
    Map<Path, String> seen = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(p -> !p.startsWith(exclude)).toList()) {
        BasicFileAttributes a =
            Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String what;
        if (a.isSymbolicLink()) {
          what = "link " + Files.readSymbolicLink(p);
        } else if (a.isDirectory()) {
          what = "dir";
        } else {
          what =
              "file "
                  + Arrays.hashCode(Files.readAllBytes(p))
                  + " nlink "
                  + Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS)
                  + " mtime "
                  + a.lastModifiedTime().toMillis();
        }
        seen.put(root.relativize(p), what);
      }
    }
    return seen;
  }

  /** Checks that every path under {@code target}, links followed, resolves inside it. */
  static void assertEveryLinkStaysInside(Path target) throws IOException {
    assertEveryLinkStaysInside(target, "");
  }

  /** The same, with {@code what} in the failure message. */
  static void assertEveryLinkStaysInside(Path target, String what) throws IOException {
    Path root = target.toRealPath();
    List<Path> all;
    try (Stream<Path> walk = Files.walk(target)) {
      all = walk.toList();
    }
    for (Path p : all) {
      Path real = resolve(p.toAbsolutePath());
      if (real != null) {
        assertThat(real.startsWith(root))
            .as("%s: %s resolves to %s, inside the target", what, target.relativize(p), real)
            .isTrue();
      }
      try {
        Path existing = p.toRealPath();
        assertThat(existing.startsWith(root))
            .as("%s: %s is really %s, inside the target", what, target.relativize(p), existing)
            .isTrue();
      } catch (IOException dangling) {
        // resolve() above covered it
      }
    }
  }

  /**
   * Resolves {@code p} like {@code realpath -m}: link by link, {@code ..} on the real parent, a
   * missing part taken as it is. Null for a loop.
   */
  static @Nullable Path resolve(Path p) throws IOException {
    Deque<String> todo = new ArrayDeque<>();
    for (Path part : p) {
      todo.addLast(part.toString());
    }
    Path cur = p.getRoot();
    int links = 0;
    while (!todo.isEmpty()) {
      String part = todo.removeFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        cur = cur.getParent() == null ? cur : cur.getParent();
        continue;
      }
      Path next = cur.resolve(part);
      if (Files.isSymbolicLink(next)) {
        if (++links > 40) {
          return null;
        }
        Path to = Files.readSymbolicLink(next);
        String[] parts = to.toString().split("/", -1);
        for (int i = parts.length - 1; i >= 0; i--) {
          todo.addFirst(parts[i]);
        }
        if (to.isAbsolute()) {
          cur = p.getRoot();
        }
        continue;
      }
      cur = next;
    }
    return cur;
  }
}
