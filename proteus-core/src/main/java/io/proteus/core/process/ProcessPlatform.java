package io.proteus.core.process;

import io.proteus.spi.CacheFolder;
import io.proteus.spi.CacheRequest;
import io.proteus.spi.Engine;
import io.proteus.spi.EngineContext;
import io.proteus.spi.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local machine as a platform: process engines and cache folders under a root folder.
 *
 * @param name the platform's name, as plans list it
 * @param cacheRoot where cache folders live
 */
public record ProcessPlatform(String name, Path cacheRoot) implements Platform {

  @Override
  public Engine newEngine(EngineContext context) {
    return new ProcessEngine();
  }

  @Override
  public CacheFolder newCacheFolder(CacheRequest request) {
    if (!request.name().matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "cache names use letters, digits, '.', '_' and '-': " + request.name());
    }
    Path dir = cacheRoot.resolve(request.name());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create cache folder " + dir, e);
    }
    return new LocalCacheFolder(request.name(), dir);
  }
}
