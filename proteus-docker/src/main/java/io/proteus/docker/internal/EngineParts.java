package io.proteus.docker.internal;

import io.proteus.docker.DockerCaches;
import io.proteus.docker.DockerPolicy;
import io.proteus.docker.ProxyHook;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an engine is made of, as its tasks need it.
 *
 * @param daemon the daemon's connections
 * @param policy what tasks may run
 * @param caches the cache folders tasks may mount
 * @param hooks the proxy hooks every task can call
 * @param settings the engine's bounds
 * @param owner the labels that say which engine made something
 */
public record EngineParts(
    Daemon daemon,
    DockerPolicy policy,
    Optional<DockerCaches> caches,
    List<ProxyHook> hooks,
    EngineSettings settings,
    Map<String, String> owner) {
  /** Copies the collections. */
  public EngineParts {
    hooks = List.copyOf(hooks);
    owner = Map.copyOf(owner);
  }
}
