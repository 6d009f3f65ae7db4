package io.proteus.core.archive;

import io.proteus.ArchiveException;
import io.proteus.core.internal.util.Trees;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/**
 * Unpacks {@code .zip}, {@code .tar.gz}, {@code .tgz} and {@code .tar} archives into a new folder
 * without ever writing outside it, and within limits on bytes, entries, ratio, name length, header
 * size and folder depth. It is meant for hostile input (an uploaded build, the files a container
 * hands back): names with {@code ..} or absolute paths are refused; nothing is written through a
 * link or over an entry unpacked before; a symbolic link's target may only start with {@code ..}
 * and then go down, so no link resolves outside the folder whatever order links come in; a hard
 * link is made to a file unpacked before it. Every entry is held to the size it declares, so {@link
 * #declaredSize} bounds what {@link #extract} writes. Headers are bounded before they are read. On
 * any refusal the partial folder is deleted. Thread-safe.
 */
public final class ArchiveExtractor {
  private static final Set<Integer> ZIP_METHODS =
      Set.of(
          ZipMethod.STORED.getCode(),
          ZipMethod.DEFLATED.getCode(),
          ZipMethod.ENHANCED_DEFLATED.getCode(),
          ZipMethod.BZIP2.getCode());
  private static final int BUFFER = 64 * 1024;

  private final ArchiveLimits limits;

  /** An extractor with these limits. */
  public ArchiveExtractor(ArchiveLimits limits) {
    this.limits = limits;
  }

  /** Whether a file's name marks an archive this extractor reads. */
  public static boolean isArchive(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".zip") || n.endsWith(".tar.gz") || n.endsWith(".tgz") || n.endsWith(".tar");
  }

  /**
   * The sum of the sizes the archive's entries declare: the most {@link #extract} will write, since
   * an entry that unpacks to more than it declares is refused. A cheap look before unpacking, with
   * the same limits on entries, names and headers.
   *
   * @throws ArchiveException when the archive is unreadable, breaks a limit, or declares more than
   *     the total limit
   */
  public long declaredSize(Path archive) {
    Budget budget = budget(archive, Long.MAX_VALUE);
    try {
      long total = isZip(archive) ? declaredZip(archive, budget) : declaredTar(archive, budget);
      if (total > limits.maxTotalBytes()) {
        throw budget.refuseArchive(
            "its entries declare "
                + total
                + " bytes, over the limit of "
                + limits.maxTotalBytes()
                + " bytes");
      }
      return total;
    } catch (IOException | RuntimeException e) {
      throw unreadable(budget, e);
    }
  }

  /**
   * Unpacks {@code archive} into {@code target}, which must not exist yet.
   *
   * @throws ArchiveException when an entry is refused or a limit broken; {@code target} is then
   *     gone
   */
  public void extract(Path archive, Path target) {
    extract(archive, target, Long.MAX_VALUE);
  }

  /**
   * Unpacks {@code archive} into {@code target}, which must not exist yet, writing at most {@code
   * maxBytes} (the storage reserved for it, say) besides the limits.
   *
   * @throws ArchiveException when an entry is refused, a limit broken or more than {@code maxBytes}
   *     would be written; {@code target} is then gone
   */
  public void extract(Path archive, Path target, long maxBytes) {
    Budget budget = budget(archive, maxBytes);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw budget.refuseArchive("the target " + target.getFileName() + " already exists");
    }
    try {
      Path parent = target.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.createDirectory(target);
    } catch (FileAlreadyExistsException e) {
      throw budget.refuseArchive("the target " + target.getFileName() + " already exists");
    } catch (IOException e) {
      throw budget.refuseArchive("cannot make the target " + target + ": " + e.getMessage());
    }
    boolean done = false;
    try {
      Path root = target.toRealPath();
      if (isZip(archive)) {
        extractZip(archive, root, budget);
      } else {
        extractTar(archive, root, budget);
      }
      done = true;
    } catch (IOException | RuntimeException e) {
      throw unreadable(budget, e);
    } finally {
      if (!done) {
        Trees.deleteQuietly(target);
      }
    }
  }

  private Budget budget(Path archive, long cap) {
    long size;
    try {
      size = Files.size(archive);
    } catch (IOException e) {
      size = 1;
    }
    return new Budget(Budget.shown(archive.getFileName().toString()), size, limits, cap);
  }

  private static ArchiveException unreadable(Budget budget, Exception e) {
    if (e instanceof ArchiveException a) {
      return a;
    }
    return new ArchiveException(budget.archive + ": cannot unpack: " + e.getMessage(), e);
  }

  private long declaredTar(Path archive, Budget budget) throws IOException {
    long total = 0;
    try (TarInput tar = openTar(archive, budget)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        budget.entry(e.getName());
        total += Math.max(0, e.getSize());
      }
    }
    return total;
  }

  private long declaredZip(Path archive, Budget budget) throws IOException {
    long total = 0;
    try (ZipFile zip = openZip(archive, budget)) {
      for (Enumeration<ZipArchiveEntry> e = zip.getEntries(); e.hasMoreElements(); ) {
        ZipArchiveEntry entry = e.nextElement();
        budget.entry(entry.getName());
        total += declared(entry, budget);
      }
    }
    return total;
  }

  private static long declared(ZipArchiveEntry entry, Budget budget) {
    if (entry.getSize() < 0) {
      throw budget.refuse("it declares no size");
    }
    return entry.getSize();
  }

  private ZipFile openZip(Path archive, Budget budget) throws IOException {
    long records = ZipDirectory.check(archive, budget);
    ZipFile zip = ZipFile.builder().setPath(archive).setIgnoreLocalFileHeader(true).get();
    long entries = 0;
    for (Enumeration<ZipArchiveEntry> e = zip.getEntries(); e.hasMoreElements(); e.nextElement()) {
      entries++;
    }
    if (entries != records) {
      zip.close();
      throw budget.refuseArchive(
          "its central directory reads as "
              + entries
              + " entries but was checked as "
              + records
              + "; refused");
    }
    return zip;
  }

  private void extractZip(Path archive, Path root, Budget budget) throws IOException {
    try (ZipFile zip = openZip(archive, budget)) {
      long declared = 0;
      for (Enumeration<ZipArchiveEntry> e = zip.getEntries(); e.hasMoreElements(); ) {
        declared += Math.max(0, e.nextElement().getSize());
      }
      budget.declares(declared);
      for (Enumeration<ZipArchiveEntry> e = zip.getEntriesInPhysicalOrder();
          e.hasMoreElements(); ) {
        ZipArchiveEntry entry = e.nextElement();
        budget.entry(entry.getName());
        long size = declared(entry, budget);
        Path dest = EntryPaths.resolve(root, entry.getName(), "name", budget);
        if (entry.isUnixSymlink()) {
          checkMethod(entry, budget);
          EntryPaths.makeLink(root, dest, linkTarget(zip, entry, size, budget), budget);
        } else if (entry.isDirectory()) {
          EntryPaths.makeDirectory(root, dest, budget);
        } else {
          checkMethod(entry, budget);
          try (InputStream in = zip.getInputStream(entry)) {
            write(root, dest, in, size, Math.max(1, entry.getCompressedSize()), budget);
          }
        }
      }
    }
  }

  private String linkTarget(ZipFile zip, ZipArchiveEntry entry, long size, Budget budget)
      throws IOException {
    byte[] bytes;
    try (InputStream in = zip.getInputStream(entry)) {
      bytes = in.readNBytes(limits.maxNameBytes() + 1);
    }
    if (bytes.length > size) {
      throw budget.refuse(
          "it unpacks to more than the " + size + " bytes the archive declares for it");
    }
    if (bytes.length > limits.maxNameBytes()) {
      throw budget.refuse(
          "its link target is over the limit of " + limits.maxNameBytes() + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static void checkMethod(ZipArchiveEntry entry, Budget budget) {
    if (!ZIP_METHODS.contains(entry.getMethod())) {
      ZipMethod method = ZipMethod.getMethodByCode(entry.getMethod());
      throw budget.refuse(
          "it is compressed with method "
              + entry.getMethod()
              + " ("
              + (method == null ? "unknown" : method.name())
              + "), which is not supported; use stored, deflated, deflate64 or bzip2");
    }
  }

  private void extractTar(Path archive, Path root, Budget budget) throws IOException {
    try (TarInput tar = openTar(archive, budget)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName();
        budget.entry(name);
        Path dest = EntryPaths.resolve(root, name, "name", budget);
        if (entry.isSymbolicLink()) {
          EntryPaths.makeLink(root, dest, entry.getLinkName(), budget);
        } else if (entry.isLink()) {
          String target = entry.getLinkName();
          budget.checkName(target, "hard link target");
          Path source = EntryPaths.resolve(root, target, "hard link target", budget);
          EntryPaths.makeHardLink(root, dest, source, target, budget);
        } else if (entry.isDirectory()) {
          EntryPaths.makeDirectory(root, dest, budget);
        } else if (isPlainFile(entry)) {
          write(root, dest, tar, entry.getSize(), -1, budget);
        } else {
          throw budget.refuse("it is " + special(entry) + ", which is not unpacked");
        }
      }
    }
  }

  private static boolean isPlainFile(TarArchiveEntry entry) {
    byte flag = entry.getLinkFlag();
    return flag == TarConstants.LF_OLDNORM
        || flag == TarConstants.LF_NORMAL
        || flag == TarConstants.LF_CONTIG;
  }

  private static String special(TarArchiveEntry entry) {
    if (entry.isCharacterDevice() || entry.isBlockDevice()) {
      return "a device";
    }
    if (entry.isFIFO()) {
      return "a fifo";
    }
    return "an entry of type '" + Budget.shown(String.valueOf((char) entry.getLinkFlag())) + "'";
  }

  private void write(
      Path root, Path dest, InputStream in, long declared, long compressed, Budget budget)
      throws IOException {
    byte[] buf = new byte[BUFFER];
    long written = 0;
    try (OutputStream out = EntryPaths.newFile(root, dest, budget)) {
      int n;
      while ((n = in.read(buf)) != -1) {
        written += n;
        if (written > declared) {
          throw budget.refuse(
              "it unpacks to more than the " + declared + " bytes the archive declares for it");
        }
        budget.wrote(n);
        if (compressed > 0
            && written > Budget.RATIO_FLOOR
            && written > compressed * limits.maxRatio()) {
          throw budget.refuse(
              "it expands more than "
                  + limits.maxRatio()
                  + " times its compressed size of "
                  + compressed
                  + " bytes; refused as a possible bomb");
        }
        out.write(buf, 0, n);
      }
    }
  }

  private static boolean isZip(Path archive) {
    return archive.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
  }

  private static TarInput openTar(Path archive, Budget budget) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(archive), BUFFER);
    try {
      String n = archive.getFileName().toString().toLowerCase(Locale.ROOT);
      if (n.endsWith(".gz") || n.endsWith(".tgz")) {
        in = new GZIPInputStream(in, BUFFER);
      }
      return TarInput.of(in, budget);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }
}
