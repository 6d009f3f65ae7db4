package io.proteus.core.process;

import io.proteus.core.internal.util.Trees;
import io.proteus.spi.CacheFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A cache folder on the local disk.
 *
 * @param name its name
 * @param path where it is
 */
public record LocalCacheFolder(String name, Path path) implements CacheFolder {

  @Override
  public long size() throws IOException {
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      long total = 0;
      for (Path p : (Iterable<Path>) walk::iterator) {
        BasicFileAttributes a =
            Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isRegularFile()) {
          total += a.size();
        }
      }
      return total;
    }
  }

  @Override
  public void archive(OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    List<Path> files = List.of();
    if (Files.isDirectory(path)) {
      try (Stream<Path> walk = Files.walk(path)) {
        files = walk.filter(p -> !p.equals(path)).sorted().toList();
      }
    }
    for (Path p : files) {
      String entryName = path.relativize(p).toString().replace('\\', '/');
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        tar.putArchiveEntry(new TarArchiveEntry(entryName + "/"));
        tar.closeArchiveEntry();
      } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        TarArchiveEntry e = new TarArchiveEntry(entryName);
        e.setSize(Files.size(p));
        tar.putArchiveEntry(e);
        try (InputStream in = Files.newInputStream(p)) {
          in.transferTo(tar);
        }
        tar.closeArchiveEntry();
      }
    }
    tar.finish();
  }

  @Override
  public void delete() {
    Trees.deleteQuietly(path);
  }
}
