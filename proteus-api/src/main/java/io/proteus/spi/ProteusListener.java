package io.proteus.spi;

/**
 * Observes what the core does: jobs, tasks, attempts, workers. Called on the core's loop thread, in
 * order; must be quick, must not block and must not throw (an exception is logged and dropped).
 */
@FunctionalInterface
public interface ProteusListener {

  /** One thing that happened. */
  void onEvent(ProteusEvent event);

  /** A listener that ignores everything. */
  ProteusListener NONE = event -> {};
}
