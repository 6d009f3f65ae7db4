package io.proteus.spi;

/**
 * Makes engines and cache folders for the machine a worker runs on. Called on a worker agent's
 * thread when it starts.
 */
public interface Platform {

  /** The platform's name, matched against a plan's {@code platforms}. */
  String name();

  /** Makes an engine for one worker. */
  Engine newEngine(EngineContext context);

  /** Makes or reopens a cache folder. */
  CacheFolder newCacheFolder(CacheRequest request);
}
