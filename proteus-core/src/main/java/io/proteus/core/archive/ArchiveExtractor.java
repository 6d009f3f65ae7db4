package io.proteus.core.archive;

import io.proteus.ArchiveException;
import io.proteus.core.internal.util.Trees;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks {@code .zip}, {@code .tar.gz}, {@code .tgz} and {@code .tar} archives into a new folder
 * without ever writing outside it: names with {@code ..} or absolute paths, links whose target
 * leaves the folder, and entries written through a link an earlier entry made are all refused. Hard
 * links are unpacked as copies of a file already inside. Limits on total bytes, entry count and
 * compression ratio stop bombs. On any refusal the partial folder is deleted. Thread-safe.
 */
public final class ArchiveExtractor {
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

  /** The sum of the sizes the archive's entries declare; a cheap look before unpacking. */
  public long declaredSize(Path archive) {
    try {
      long total = 0;
      if (isZip(archive)) {
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
          for (Enumeration<ZipArchiveEntry> e = zip.getEntries(); e.hasMoreElements(); ) {
            total += Math.max(0, e.nextElement().getSize());
          }
        }
      } else {
        try (TarArchiveInputStream tar = openTar(archive)) {
          TarArchiveEntry e;
          while ((e = tar.getNextEntry()) != null) {
            total += Math.max(0, e.getSize());
          }
        }
      }
      return total;
    } catch (IOException e) {
      throw new ArchiveException(
          archive.getFileName() + ": not a readable archive: " + e.getMessage(), e);
    }
  }

  /**
   * Unpacks {@code archive} into {@code target}, which must not exist yet.
   *
   * @throws ArchiveException when an entry is refused or a limit broken; {@code target} is then
   *     gone
   */
  public void extract(Path archive, Path target) {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new ArchiveException("target " + target.getFileName() + " already exists");
    }
    try {
      Files.createDirectories(target);
      Path root = target.toRealPath();
      long archiveSize = Math.max(1, Files.size(archive));
      Budget budget = new Budget(archive.getFileName().toString(), archiveSize);
      if (isZip(archive)) {
        extractZip(archive, root, budget);
      } else {
        extractTar(archive, root, budget);
      }
    } catch (ArchiveException e) {
      Trees.deleteQuietly(target);
      throw e;
    } catch (IOException | RuntimeException e) {
      Trees.deleteQuietly(target);
      throw new ArchiveException(archive.getFileName() + ": cannot unpack: " + e.getMessage(), e);
    }
  }

  private void extractZip(Path archive, Path root, Budget budget) throws IOException {
    try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
      for (Enumeration<ZipArchiveEntry> e = zip.getEntriesInPhysicalOrder();
          e.hasMoreElements(); ) {
        ZipArchiveEntry entry = e.nextElement();
        budget.entry(entry.getName());
        Path dest = EntryPaths.resolve(root, entry.getName(), budget.archive);
        if (entry.isUnixSymlink()) {
          String link;
          try (InputStream in = zip.getInputStream(entry)) {
            link = new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8);
          }
          EntryPaths.makeLink(root, dest, link, entry.getName(), budget.archive);
        } else if (entry.isDirectory()) {
          EntryPaths.makeDirectory(root, dest, entry.getName(), budget.archive);
        } else {
          long compressed = Math.max(1, entry.getCompressedSize());
          try (InputStream in = zip.getInputStream(entry)) {
            write(root, dest, in, entry.getName(), budget, compressed);
          }
        }
      }
    }
  }

  private void extractTar(Path archive, Path root, Budget budget) throws IOException {
    try (TarArchiveInputStream tar = openTar(archive)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName();
        budget.entry(name);
        Path dest = EntryPaths.resolve(root, name, budget.archive);
        if (entry.isSymbolicLink()) {
          EntryPaths.makeLink(root, dest, entry.getLinkName(), name, budget.archive);
        } else if (entry.isLink()) {
          Path source = EntryPaths.resolve(root, entry.getLinkName(), budget.archive);
          EntryPaths.checkNoLinkOnTheWay(root, source, name, budget.archive);
          if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArchiveException(
                budget.archive
                    + ": entry '"
                    + name
                    + "' is a hard link to '"
                    + entry.getLinkName()
                    + "', which is not a file unpacked before it");
          }
          try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
            write(root, dest, in, name, budget, Long.MAX_VALUE);
          }
        } else if (entry.isDirectory()) {
          EntryPaths.makeDirectory(root, dest, name, budget.archive);
        } else if (entry.isFile()) {
          write(root, dest, tar, name, budget, Long.MAX_VALUE);
        } else {
          throw new ArchiveException(
              budget.archive + ": entry '" + name + "' is a device, fifo or other special file");
        }
      }
    }
  }

  private void write(
      Path root, Path dest, InputStream in, String name, Budget budget, long compressed)
      throws IOException {
    EntryPaths.checkNoLinkOnTheWay(root, dest, name, budget.archive);
    Files.createDirectories(dest.getParent());
    EntryPaths.checkNoLinkOnTheWay(root, dest, name, budget.archive);
    byte[] buf = new byte[64 * 1024];
    long entryBytes = 0;
    try (OutputStream out =
        Files.newOutputStream(
            dest,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        entryBytes += n;
        budget.wrote(n, name);
        if (compressed != Long.MAX_VALUE
            && entryBytes > compressed * limits.maxRatio()
            && entryBytes > 1 << 20) {
          throw new ArchiveException(
              budget.archive
                  + ": entry '"
                  + name
                  + "' expands more than "
                  + limits.maxRatio()
                  + " times; refused as a possible bomb");
        }
        out.write(buf, 0, n);
      }
    } catch (FileAlreadyExistsException e) {
      throw new ArchiveException(
          budget.archive + ": entry '" + name + "' appears twice or overwrites a link");
    }
  }

  private static boolean isZip(Path archive) {
    return archive.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
  }

  private static TarArchiveInputStream openTar(Path archive) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(archive));
    String n = archive.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".gz") || n.endsWith(".tgz")) {
      in = GzipCompressorInputStream.builder().setInputStream(in).get();
    }
    return new TarArchiveInputStream(in);
  }

  private final class Budget {
    final String archive;
    final long archiveSize;
    long entries;
    long total;

    Budget(String archive, long archiveSize) {
      this.archive = archive;
      this.archiveSize = archiveSize;
    }

    void entry(String name) {
      if (++entries > limits.maxEntries()) {
        throw new ArchiveException(
            archive + ": more than " + limits.maxEntries() + " entries (at '" + name + "')");
      }
    }

    void wrote(long n, String name) {
      total += n;
      if (total > limits.maxTotalBytes()) {
        throw new ArchiveException(
            archive
                + ": unpacks to more than "
                + limits.maxTotalBytes()
                + " bytes (at '"
                + name
                + "')");
      }
      if (total > archiveSize * limits.maxRatio() && total > 1 << 20) {
        throw new ArchiveException(
            archive
                + ": unpacks to more than "
                + limits.maxRatio()
                + " times its size (at '"
                + name
                + "'); refused as a possible bomb");
      }
    }
  }
}
