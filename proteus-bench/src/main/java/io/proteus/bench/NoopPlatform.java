package io.proteus.bench;

import io.proteus.spi.Engine;
import io.proteus.spi.EngineContext;
import io.proteus.spi.Exec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.Platform;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A platform {@code linux} whose engine runs nothing: each command exits 0 the moment it starts,
 * or, when it {@code hangs}, runs until aborted. With it an agent's figures are the agent, the link
 * and the core, not a process start.
 */
final class NoopPlatform implements Platform, Engine {
  private static final ExitStatus PASSED = new ExitStatus(0, false, false, Duration.ZERO);
  private static final ExitStatus ABORTED = new ExitStatus(137, false, true, Duration.ZERO);

  private final boolean hangs;

  NoopPlatform(boolean hangs) {
    this.hangs = hangs;
  }

  @Override
  public String name() {
    return "linux";
  }

  @Override
  public Engine newEngine(EngineContext context) {
    return this;
  }

  @Override
  public Exec start(ExecSpec spec) {
    CompletableFuture<ExitStatus> done = new CompletableFuture<>();
    if (!hangs) {
      done.complete(PASSED);
    }
    return new Exec() {
      @Override
      public CompletionStage<ExitStatus> exit() {
        return done;
      }

      @Override
      public void abort() {
        done.complete(ABORTED);
      }
    };
  }
}
