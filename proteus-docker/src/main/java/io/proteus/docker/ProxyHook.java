package io.proteus.docker;

import com.sun.net.httpserver.HttpHandler;

/**
 * A host-side HTTP handler a task's container can call (a fake of an outside service, a result
 * sink, a license server): the engine serves it to each task on the task's private network only,
 * and tells the task where through {@code PROTEUS_PROXY_<NAME>} (for example {@code
 * http://172.20.0.1:41234}).
 *
 * @param name the hook's name; letters, digits and {@code _}
 * @param handler what answers the task's requests, on the engine's threads
 */
public record ProxyHook(String name, HttpHandler handler) {
  /** Checks the name. */
  public ProxyHook {
    if (!name.matches("[A-Za-z0-9_]+")) {
      throw new IllegalArgumentException(
          "a proxy hook's name uses letters, digits and '_': " + name);
    }
  }

  /** The environment variable the task reads the hook's address from. */
  public String variable() {
    return "PROTEUS_PROXY_" + name.toUpperCase(java.util.Locale.ROOT);
  }
}
