package io.proteus.testkit;

import io.proteus.spi.Host;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A host whose configuration the test sets and which asks for shutdown when told to. */
public final class FakeHost implements Host {
  private final Map<String, String> config;
  private final CompletableFuture<Void> shutdown = new CompletableFuture<>();

  /** A host with this configuration. */
  public FakeHost(Map<String, String> config) {
    this.config = Map.copyOf(config);
  }

  /** A host with no configuration. */
  public FakeHost() {
    this(Map.of());
  }

  @Override
  public Map<String, String> config() {
    return config;
  }

  @Override
  public CompletionStage<Void> shutdownRequested() {
    return shutdown.copy();
  }

  /** Asks for shutdown, as a cloud reclaiming a spot instance would. */
  public void requestShutdown() {
    shutdown.complete(null);
  }

  /** Whether shutdown was asked for. */
  public boolean shutdownAsked() {
    return shutdown.isDone();
  }
}
