package io.proteus.spi;

import io.proteus.EngineException;

/**
 * Runs commands in an isolated environment: a local process, a container, a device. A worker agent
 * makes one per worker from its {@link Platform}. Called on the agent's threads (virtual threads),
 * never on the core's loop; implementations are thread-safe.
 */
public interface Engine extends AutoCloseable {

  /**
   * Starts a command. Returns once it runs; its end is reported by {@link Exec#exit()}.
   *
   * @throws EngineException when it cannot start; the core retries the task elsewhere, unless the
   *     exception is not {@linkplain EngineException#retryable() retryable} (a policy refusal, a
   *     file the build lacks): then the task ends at once
   */
  Exec start(ExecSpec spec);

  /** Frees what the engine holds. Commands still running are killed. */
  @Override
  default void close() {}
}
