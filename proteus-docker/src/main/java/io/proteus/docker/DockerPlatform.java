package io.proteus.docker;

import io.proteus.docker.internal.Cancels;
import io.proteus.spi.CacheFolder;
import io.proteus.spi.CacheRequest;
import io.proteus.spi.Engine;
import io.proteus.spi.EngineContext;
import io.proteus.spi.Exec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.Platform;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A platform whose workers run tasks in containers of one Docker engine. Each worker gets its own
 * view of the engine, so stopping one worker aborts only its own containers.
 *
 * @param name the platform's name, as plans list it
 * @param engine the engine its workers share
 * @param caches the cache folders its tasks may mount
 */
public record DockerPlatform(String name, DockerEngine engine, DockerCaches caches)
    implements Platform {

  /**
   * A view of the engine for one worker: closing it stops that worker's image builds in progress
   * and aborts its running tasks, never another worker's.
   */
  @Override
  public Engine newEngine(EngineContext context) {
    Set<Exec> mine = ConcurrentHashMap.newKeySet();
    Cancels builds = new Cancels();
    return new Engine() {
      @Override
      public Exec start(ExecSpec spec) {
        Exec exec = engine.start(spec, builds);
        mine.add(exec);
        exec.exit().whenComplete((s, e) -> mine.remove(exec));
        return exec;
      }

      @Override
      public void close() {
        builds.cancelAll("the worker is closing");
        mine.forEach(Exec::abort);
      }
    };
  }

  /** The engine's cache folder of this name, for cleaning or archiving it from outside. */
  public CacheFolder newCacheFolder(CacheRequest request) {
    return caches.folderOf(request.name());
  }
}
