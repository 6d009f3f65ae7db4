package io.proteus.spi;

/**
 * Makes engines for the machine a worker runs on. Called on a worker agent's thread when it starts.
 * Cache folders belong to the engines that mount them (the Docker engine's {@code DockerCaches}, or
 * {@code ProcessPlatform.newCacheFolder}).
 */
public interface Platform {

  /** The platform's name, matched against a plan's {@code platforms}. */
  String name();

  /** Makes an engine for one worker. */
  Engine newEngine(EngineContext context);
}
