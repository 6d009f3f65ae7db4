package io.proteus.core.process;

import io.proteus.core.internal.util.Confinement;
import io.proteus.spi.CacheFolder;
import io.proteus.spi.CacheRequest;
import io.proteus.spi.Engine;
import io.proteus.spi.EngineContext;
import io.proteus.spi.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The local machine as a platform: process engines and cache folders under a root folder.
 *
 * @param name the platform's name, as plans list it
 * @param cacheRoot where cache folders live
 * @param options how its engines run commands
 */
public record ProcessPlatform(String name, Path cacheRoot, ProcessOptions options)
    implements Platform {

  /** Checks. */
  public ProcessPlatform {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cacheRoot, "cacheRoot");
    Objects.requireNonNull(options, "options");
  }

  /** A platform whose engines use the {@linkplain ProcessOptions#defaults() default options}. */
  public ProcessPlatform(String name, Path cacheRoot) {
    this(name, cacheRoot, ProcessOptions.defaults());
  }

  @Override
  public Engine newEngine(EngineContext context) {
    return new ProcessEngine(options);
  }

  /** Makes or reopens the cache folder of this name under the cache root. */
  public CacheFolder newCacheFolder(CacheRequest request) {
    String n = request.name();
    if (n.length() > 200 || !n.matches("[A-Za-z0-9._-]+") || n.equals(".") || n.equals("..")) {
      throw new IllegalArgumentException(
          "cache names are up to 200 letters, digits, '.', '_' and '-', and not '.' or '..': " + n);
    }
    Path dir =
        Confinement.child(cacheRoot, n)
            .orElseThrow(() -> new IllegalArgumentException("not a plain cache name: " + n));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create cache folder " + dir, e);
    }
    return new LocalCacheFolder(n, dir);
  }
}
