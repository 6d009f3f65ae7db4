package io.proteus.model;

import java.util.Optional;
import java.util.Set;

/**
 * What a worker is and offers, as it announces itself to the core.
 *
 * @param id a unique id
 * @param pool the pool it belongs to
 * @param platform the platform it runs tasks on
 * @param tags its capabilities (a device model, a tool, a feature)
 * @param topic when present, the worker takes only work of this topic, and gets it first
 */
public record WorkerDescriptor(
    String id, String pool, String platform, Set<String> tags, Optional<String> topic) {

  /** Copies the tags. */
  public WorkerDescriptor {
    tags = Set.copyOf(tags);
  }

  /** A generic worker with no tags and no topic. */
  public static WorkerDescriptor of(String id, String pool, String platform) {
    return new WorkerDescriptor(id, pool, platform, Set.of(), Optional.empty());
  }
}
