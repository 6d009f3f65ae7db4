package io.proteus.spi;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The machine's owner (a local box, a lab's hardware, a cloud): where configuration comes from, and
 * who may ask the worker to shut down (a spot instance being reclaimed). A worker agent drains when
 * {@link #shutdownRequested()} completes.
 */
public interface Host {

  /** Settings the host provides (worker id, pool, tags); empty when it has none. */
  Map<String, String> config();

  /** Completes when the host wants the worker gone. */
  CompletionStage<Void> shutdownRequested();

  /** A host that has no configuration and never asks for shutdown. */
  Host NONE =
      new Host() {
        private final CompletableFuture<Void> never = new CompletableFuture<>();

        @Override
        public Map<String, String> config() {
          return Map.of();
        }

        @Override
        public CompletionStage<Void> shutdownRequested() {
          return never.copy();
        }
      };
}
