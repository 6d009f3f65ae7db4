package io.proteus.docker.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Work in progress that can be stopped, such as image builds that run while a task starts (before
 * there is an exec to abort): an engine, or a worker's view of it, stops them all when it closes.
 */
public final class Cancels {
  private final Set<Consumer<String>> hooks = ConcurrentHashMap.newKeySet();

  /** Adds {@code cancel}; closing the result removes it. */
  public AutoCloseable register(Consumer<String> cancel) {
    hooks.add(cancel);
    return () -> hooks.remove(cancel);
  }

  /** Stops everything registered, saying {@code why}. */
  public void cancelAll(String why) {
    for (Consumer<String> c : hooks) {
      c.accept(why);
    }
  }
}
