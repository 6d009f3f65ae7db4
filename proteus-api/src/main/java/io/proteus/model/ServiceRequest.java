package io.proteus.model;

import java.util.List;
import java.util.Map;

/**
 * A sidecar a task needs (a database, a fake server): run beside the task's container on a private
 * network where the task reaches it by {@code name}, and removed with the task.
 *
 * @param name the host name the task uses to reach it
 * @param image its image; the same policy as the task's image applies
 * @param command its command; empty for the image's own
 * @param environment its environment
 */
public record ServiceRequest(
    String name, String image, List<String> command, Map<String, String> environment) {
  /** Checks the name and copies the collections. */
  public ServiceRequest {
    if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new IllegalArgumentException("a service name is a host name (a-z, 0-9, '-'): " + name);
    }
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }
}
