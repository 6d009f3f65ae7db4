package io.proteus.testkit.junit5.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.spi.CacheFolder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/** What every {@link CacheFolder} must do: a name, a size, a tar archive of its files, a delete. */
public abstract class CacheFolderContract {

  /** Makes an empty cache folder named {@code name}. */
  protected abstract CacheFolder newCache(String name) throws Exception;

  /** Puts a file into the cache, as a task using it would. */
  protected abstract void write(CacheFolder cache, String relativePath, String content)
      throws Exception;

  @Test
  void itKeepsItsName() throws Exception {
    assertThat(newCache("deps").name()).isEqualTo("deps");
  }

  @Test
  void itsSizeIsTheBytesOfItsFiles() throws Exception {
    CacheFolder cache = newCache("sized");
    assertThat(cache.size()).isZero();
    write(cache, "a.txt", "abc");
    write(cache, "sub/b.txt", "defgh");
    assertThat(cache.size()).isEqualTo(8);
  }

  @Test
  void itsArchiveHoldsEveryFile() throws Exception {
    CacheFolder cache = newCache("archived");
    write(cache, "a.txt", "abc");
    write(cache, "sub/b.txt", "de");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    cache.archive(out);
    List<String> files = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (!e.isDirectory()) {
          files.add(e.getName());
        }
      }
    }
    assertThat(files).containsExactlyInAnyOrder("a.txt", "sub/b.txt");
  }

  @Test
  void deleteEmptiesItAndCanBeRepeated() throws Exception {
    CacheFolder cache = newCache("deleted");
    write(cache, "a.txt", "abc");
    cache.delete();
    cache.delete();
    assertThat(sizeAfterDelete(cache)).isZero();
  }

  /** The size of a deleted cache; folders that vanish on delete count as empty. */
  protected long sizeAfterDelete(CacheFolder cache) throws Exception {
    return cache.size();
  }
}
