package io.proteus.testkit.junit5.contract;

import io.proteus.spi.Engine;
import io.proteus.spi.EngineContext;
import io.proteus.spi.Exec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.Platform;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The contract's engine: a test named {@code gate-…} runs until the contract opens its gate (or it
 * is aborted); any other test exits 0 at once. Records which tests were aborted. Thread-safe.
 */
final class GateEngine implements Engine {
  private final Map<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
  final List<String> aborted = new CopyOnWriteArrayList<>();
  final List<String> started = new CopyOnWriteArrayList<>();

  private CompletableFuture<Void> gate(String test) {
    return gates.computeIfAbsent(test, k -> new CompletableFuture<>());
  }

  /** Lets every run of {@code test} end, passing. */
  void open(String test) {
    gate(test).complete(null);
  }

  Platform platform(String name) {
    return new Platform() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Engine newEngine(EngineContext context) {
        return GateEngine.this;
      }
    };
  }

  @Override
  public Exec start(ExecSpec spec) {
    String test = spec.environment().getOrDefault("PROTEUS_TEST_NAME", "");
    started.add(test);
    CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    if (test.startsWith("gate-")) {
      gate(test).thenRun(() -> exit.complete(new ExitStatus(0, false, false, Duration.ZERO)));
    } else {
      exit.complete(new ExitStatus(0, false, false, Duration.ZERO));
    }
    return new Exec() {
      @Override
      public CompletionStage<ExitStatus> exit() {
        return exit;
      }

      @Override
      public void abort() {
        if (exit.complete(new ExitStatus(137, false, true, Duration.ZERO))) {
          aborted.add(test);
        }
      }
    };
  }
}
