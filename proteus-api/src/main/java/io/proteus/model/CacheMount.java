package io.proteus.model;

/**
 * A cache folder a task wants mounted in its container.
 *
 * @param name the cache's name, shared by every task that names it
 * @param path where it appears in the container (an absolute path)
 * @param exclusive whether the task writes it (one task at a time) or only reads it (many at once)
 */
public record CacheMount(String name, String path, boolean exclusive) {
  /** Checks the name and path. */
  public CacheMount {
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "cache names use letters, digits, '.', '_' and '-': " + name);
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(
          "a cache's path in the container must be absolute: " + path);
    }
  }
}
