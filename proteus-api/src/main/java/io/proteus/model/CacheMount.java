package io.proteus.model;

/**
 * A cache folder a task wants mounted in its container.
 *
 * @param name the cache's name, shared by every task that names it: 1 to 64 letters, digits, '.',
 *     '_' and '-', starting with a letter or digit (so never {@code .} or {@code ..})
 * @param path where it appears in the container (an absolute path)
 * @param exclusive whether the task writes it (one task at a time) or only reads it (many at once)
 */
public record CacheMount(String name, String path, boolean exclusive) {
  /** Checks the name and path. */
  public CacheMount {
    if (!isValidName(name)) {
      throw new IllegalArgumentException(
          "cache names are 1 to 64 letters, digits, '.', '_' and '-', starting with a letter or"
              + " digit: '"
              + name
              + "'");
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(
          "a cache's path in the container must be absolute: " + path);
    }
  }

  /**
   * Whether {@code name} may name a cache: one plain folder name that can never step out of the
   * folder caches live in. Every layer that turns a name into a path checks it again.
   */
  public static boolean isValidName(String name) {
    return name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  }
}
