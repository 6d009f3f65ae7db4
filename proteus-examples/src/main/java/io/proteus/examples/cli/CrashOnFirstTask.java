package io.proteus.examples.cli;

import io.proteus.spi.Engine;
import io.proteus.spi.EngineContext;
import io.proteus.spi.Exec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.Platform;

/**
 * The distributed demo's agent that dies once: its process halts, as a crashed machine would, as
 * its first task starts. The demo starts it again without this, and the core retries the task on
 * another agent.
 */
final class CrashOnFirstTask implements Platform {
  private final Platform delegate;

  CrashOnFirstTask(Platform delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Engine newEngine(EngineContext context) {
    Engine engine = delegate.newEngine(context);
    return new Engine() {
      @Override
      public Exec start(ExecSpec spec) {
        System.out.println("simulated crash: this agent's process halts as its first task starts");
        System.out.flush();
        Runtime.getRuntime().halt(137);
        return engine.start(spec);
      }

      @Override
      public void close() {
        engine.close();
      }
    };
  }
}
