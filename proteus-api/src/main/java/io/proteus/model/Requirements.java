package io.proteus.model;

import java.util.Optional;
import java.util.Set;

/**
 * What a worker must offer to run a task.
 *
 * @param pool the pool the worker must belong to
 * @param platform the platform the worker must run on
 * @param tags tags the worker must all have
 * @param resources resources held exclusively while the task runs
 * @param topic the task's topic; workers scoped to it are preferred
 */
public record Requirements(
    String pool, String platform, Set<String> tags, Set<String> resources, Optional<String> topic) {

  /** Copies the sets. */
  public Requirements {
    tags = Set.copyOf(tags);
    resources = Set.copyOf(resources);
  }

  /** Whether a worker with this description could ever serve these requirements. */
  public boolean servableBy(WorkerDescriptor worker) {
    return worker.pool().equals(pool)
        && worker.platform().equals(platform)
        && worker.tags().containsAll(tags)
        && (worker.topic().isEmpty() || worker.topic().equals(topic));
  }

  /** Why a worker with this description cannot serve these requirements, or empty if it can. */
  public Optional<String> mismatch(WorkerDescriptor worker) {
    if (!worker.pool().equals(pool)) {
      return Optional.of("pool " + worker.pool() + " is not " + pool);
    }
    if (!worker.platform().equals(platform)) {
      return Optional.of("platform " + worker.platform() + " is not " + platform);
    }
    if (!worker.tags().containsAll(tags)) {
      return Optional.of("tags " + worker.tags() + " lack some of " + tags);
    }
    if (worker.topic().isPresent() && !worker.topic().equals(topic)) {
      return Optional.of("scoped to topic " + worker.topic().get());
    }
    return Optional.empty();
  }
}
