package io.proteus.core.archive;

import io.proteus.ArchiveException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** The checks that keep every archive entry inside its target folder. */
final class EntryPaths {
  private EntryPaths() {}

  /** Where an entry goes; refuses absolute names, {@code ..} escapes and odd characters. */
  static Path resolve(Path root, String name, String archive) {
    if (name.isEmpty() || name.indexOf('\0') >= 0) {
      throw new ArchiveException(archive + ": an entry has an empty or invalid name");
    }
    String n = name.replace('\\', '/');
    if (n.startsWith("/") || n.matches("^[A-Za-z]:.*")) {
      throw new ArchiveException(archive + ": entry '" + name + "' has an absolute path");
    }
    Path dest;
    try {
      dest = root.resolve(n).normalize();
    } catch (InvalidPathException e) {
      throw new ArchiveException(archive + ": entry '" + name + "' has an invalid name");
    }
    if (!dest.startsWith(root) || dest.equals(root) && !n.matches("^[./]*$")) {
      throw new ArchiveException(
          archive + ": entry '" + name + "' would land outside the target folder");
    }
    return dest;
  }

  /** Refuses an entry whose path goes through a link (one an earlier entry made, say). */
  static void checkNoLinkOnTheWay(Path root, Path dest, String name, String archive) {
    for (Path p = dest; p != null && !p.equals(root); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw new ArchiveException(
            archive
                + ": entry '"
                + name
                + "' would be written through the link '"
                + root.relativize(p)
                + "'");
      }
    }
  }

  static void makeDirectory(Path root, Path dest, String name, String archive) throws IOException {
    checkNoLinkOnTheWay(root, dest, name, archive);
    if (!dest.equals(root)) {
      Files.createDirectories(dest);
    }
    checkNoLinkOnTheWay(root, dest, name, archive);
  }

  /** Makes a symbolic link whose target, read from where the link sits, stays inside the root. */
  static void makeLink(Path root, Path dest, String target, String name, String archive)
      throws IOException {
    if (target.isEmpty() || target.indexOf('\0') >= 0) {
      throw new ArchiveException(archive + ": link '" + name + "' has an empty or invalid target");
    }
    String t = target.replace('\\', '/');
    if (t.startsWith("/") || t.matches("^[A-Za-z]:.*")) {
      throw new ArchiveException(
          archive + ": link '" + name + "' points to the absolute path '" + target + "'");
    }
    Path cur = dest.getParent();
    String[] parts = t.split("/");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      cur = part.equals("..") ? cur.getParent() : cur.resolve(part);
      if (cur == null || !cur.startsWith(root)) {
        throw new ArchiveException(
            archive + ": link '" + name + "' points outside the target folder ('" + target + "')");
      }
      if (i < parts.length - 1 && Files.isSymbolicLink(cur)) {
        throw new ArchiveException(
            archive + ": link '" + name + "' points through another link ('" + target + "')");
      }
    }
    checkNoLinkOnTheWay(root, dest, name, archive);
    Files.createDirectories(dest.getParent());
    if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
      throw new ArchiveException(
          archive + ": link '" + name + "' would replace an entry unpacked before it");
    }
    Files.createSymbolicLink(dest, dest.getFileSystem().getPath(t));
  }
}
