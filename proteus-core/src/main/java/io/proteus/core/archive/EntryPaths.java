package io.proteus.core.archive;

import io.proteus.core.internal.util.Confinement;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rules that keep every entry inside the target folder.
 *
 * <ul>
 *   <li>An entry's name (and a hard link's target) is a relative path of plain names: no {@code
 *       ..}, no leading {@code /}, no drive letter; backslashes count as separators.
 *   <li>Nothing is written through a link: every folder on an entry's way must be a real folder,
 *       checked without following links, and a name that exists already is never replaced.
 *   <li>A symbolic link's target is relative and is some {@code ..} (no more than the link's own
 *       depth) followed only by names: a {@code ..} after a name is refused. A folder on an entry's
 *       way is always real, so the leading {@code ..} climb real folders and stay inside; the names
 *       after them only go down, and a link met on the way down obeys the same rule. By induction
 *       no link resolves outside the target, whatever order the links come in and whatever later
 *       entries make of the names in between.
 * </ul>
 */
final class EntryPaths {
  private EntryPaths() {}

  /** Where an entry named {@code name} goes; {@code what} says what the name is, for messages. */
  static Path resolve(Path root, String name, String what, Budget b) {
    List<String> parts = parts(name, what, b);
    if (parts.size() > b.limits.maxDepth()) {
      throw b.refuse(
          "its "
              + what
              + " has "
              + parts.size()
              + " levels, over the limit of "
              + b.limits.maxDepth());
    }
    try {
      return parts.isEmpty() ? root : root.resolve(String.join("/", parts));
    } catch (InvalidPathException e) {
      throw b.refuse("its " + what + " is not a valid path: " + e.getMessage());
    }
  }

  private static List<String> parts(String name, String what, Budget b) {
    String n = name.replace('\\', '/');
    if (Confinement.isAbsolute(n)) {
      throw b.refuse("its " + what + " is an absolute path");
    }
    List<String> parts = new ArrayList<>();
    if (Confinement.hasParentStep(n)) {
      throw b.refuse(
          "its " + what + " has a '..', which could land outside the target folder; refused");
    }
    for (String part : n.split("/", -1)) {
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return parts;
  }

  /**
   * Makes every folder from {@code root} down to {@code dir}, refusing a link or a file on the way.
   */
  static void makeFolders(Path root, Path dir, Budget b) throws IOException {
    Path cur = root;
    for (Path part : root.relativize(dir)) {
      if (part.toString().isEmpty()) {
        continue;
      }
      cur = cur.resolve(part);
      BasicFileAttributes a = attributes(cur);
      if (a == null) {
        Files.createDirectory(cur);
      } else if (a.isSymbolicLink()) {
        throw b.refuse("it would be written through the link '" + shown(root, cur) + "'");
      } else if (!a.isDirectory()) {
        throw b.refuse("'" + shown(root, cur) + "' is a file unpacked before it, not a folder");
      }
    }
  }

  /** Opens a new file at {@code dest}; refuses one that exists, a link included. */
  static OutputStream newFile(Path root, Path dest, Budget b) throws IOException {
    if (dest.equals(root)) {
      throw b.refuse("it names the target folder itself");
    }
    makeFolders(root, dest.getParent(), b);
    try {
      return Files.newOutputStream(
          dest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    } catch (FileAlreadyExistsException e) {
      throw b.refuse(
          "it appears twice, or would replace a file, folder or link unpacked before it");
    }
  }

  /** Makes a folder; an existing folder is fine, a link or a file in its place is refused. */
  static void makeDirectory(Path root, Path dest, Budget b) throws IOException {
    makeFolders(root, dest, b);
  }

  /** Makes a symbolic link to {@code target}, which must obey the link rule above. */
  static void makeLink(Path root, Path dest, String target, Budget b) throws IOException {
    if (dest.equals(root)) {
      throw b.refuse("it names the target folder itself");
    }
    b.checkName(target, "link target");
    String t = target.replace('\\', '/');
    if (Confinement.isAbsolute(t)) {
      throw b.refuse("it is a link to the absolute path '" + Budget.shown(target) + "'");
    }
    Path parent = dest.getParent();
    int room = parent.equals(root) ? 0 : root.relativize(parent).getNameCount();
    int up = 0;
    boolean named = false;
    for (String part : t.split("/", -1)) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (!part.equals("..")) {
        named = true;
      } else if (named) {
        throw b.refuse(
            "it is a link to '"
                + Budget.shown(target)
                + "', which has a '..' after a name; a link target may only start with '..'");
      } else if (++up > room) {
        throw b.refuse(
            "it is a link to '"
                + Budget.shown(target)
                + "', which points outside the target folder");
      }
    }
    makeFolders(root, parent, b);
    try {
      Files.createSymbolicLink(dest, dest.getFileSystem().getPath(t));
    } catch (FileAlreadyExistsException e) {
      throw b.refuse("it would replace a file, folder or link unpacked before it");
    }
  }

  /** Makes {@code dest} a hard link to {@code source}, a file unpacked before it. */
  static void makeHardLink(Path root, Path dest, Path source, String target, Budget b)
      throws IOException {
    if (dest.equals(root)) {
      throw b.refuse("it names the target folder itself");
    }
    Path cur = root;
    for (Path part : root.relativize(source)) {
      cur = cur.resolve(part);
      BasicFileAttributes a = attributes(cur);
      boolean last = cur.equals(source);
      if (a == null || a.isSymbolicLink() || (last ? !a.isRegularFile() : !a.isDirectory())) {
        throw b.refuse(
            "it is a hard link to '"
                + Budget.shown(target)
                + "', which is not a file unpacked before it (reached without links)");
      }
    }
    makeFolders(root, dest.getParent(), b);
    try {
      Files.createLink(dest, source);
    } catch (FileAlreadyExistsException e) {
      throw b.refuse("it would replace a file, folder or link unpacked before it");
    }
  }

  private static @Nullable BasicFileAttributes attributes(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static String shown(Path root, Path p) {
    return Budget.shown(root.relativize(p).toString());
  }
}
