package io.proteus.testkit.junit5;

import io.proteus.core.process.ProcessPlatform;
import io.proteus.spi.CacheFolder;
import io.proteus.spi.CacheRequest;
import io.proteus.testkit.FakeCacheFolder;
import io.proteus.testkit.junit5.contract.CacheFolderContract;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

class CacheFolderContractTests {
  @TempDir Path root;

  @Nested
  class LocalCacheFolderContract extends CacheFolderContract {
    @Override
    protected CacheFolder newCache(String name) {
      return new ProcessPlatform("linux", root).newCacheFolder(new CacheRequest(name, true));
    }

    @Override
    protected void write(CacheFolder cache, String relativePath, String content) throws Exception {
      Path file = cache.path().resolve(relativePath);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    }
  }

  @Nested
  class FakeCacheFolderContract extends CacheFolderContract {
    @Override
    protected CacheFolder newCache(String name) {
      return new FakeCacheFolder(name, root.resolve(name));
    }

    @Override
    protected void write(CacheFolder cache, String relativePath, String content) {
      ((FakeCacheFolder) cache).put(relativePath, content);
    }
  }
}
