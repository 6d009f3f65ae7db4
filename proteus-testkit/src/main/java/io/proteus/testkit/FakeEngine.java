package io.proteus.testkit;

import io.proteus.EngineException;
import io.proteus.spi.Engine;
import io.proteus.spi.EngineContext;
import io.proteus.spi.Exec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.FailureKind;
import io.proteus.spi.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An engine that runs nothing: for each test (by {@code PROTEUS_TEST_NAME}) it plays a scripted
 * outcome at once: output lines, JSON-lines results in {@code PROTEUS_RESULTS}, an exit code, a
 * timeout, or a failure to start, retryable or not. Use it with a real {@code LocalWorker} to test
 * everything but the processes. Thread-safe.
 */
public final class FakeEngine implements Engine {
  private final Map<String, Outcome> script = new ConcurrentHashMap<>();
  private final List<ExecSpec> started = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile Outcome fallback = Outcome.exit(0);

  /** What one run does. */
  public sealed interface Outcome {
    /**
     * Writes {@code stdout} and {@code stderr} lines and {@code results} (JSON lines), and exits
     * with {@code code}, reporting that it took {@code took}.
     */
    record Exit(
        int code, List<String> stdout, List<String> stderr, List<String> results, Duration took)
        implements Outcome {}

    /** Runs past its timeout and is killed. */
    record TimedOut() implements Outcome {}

    /** Runs until aborted. */
    record Hang() implements Outcome {}

    /** Cannot start; the core retries the task on another worker. */
    record CannotStart(String reason) implements Outcome {}

    /**
     * Cannot start, in a way no other attempt could get past (a policy refusal, a file the build
     * lacks): the core ends the task at once.
     */
    record Refused(FailureKind kind, String reason) implements Outcome {}

    /** Refuses to start, as {@code kind}, not to be retried. */
    static Outcome refused(FailureKind kind, String reason) {
      return new Refused(kind, reason);
    }

    /** Exits with {@code code}, no output. */
    static Outcome exit(int code) {
      return new Exit(code, List.of(), List.of(), List.of(), Duration.ZERO);
    }

    /** Exits 0 after reporting each case as passed. */
    static Outcome passing(String... cases) {
      List<String> lines = new ArrayList<>();
      for (String c : cases) {
        lines.add("{\"name\":\"" + c + "\",\"status\":\"passed\"}");
      }
      return new Exit(
          0, List.of("ran " + String.join(",", cases)), List.of(), lines, Duration.ZERO);
    }
  }

  /** Scripts the outcome for the test named {@code test}. */
  public FakeEngine on(String test, Outcome outcome) {
    script.put(test, outcome);
    return this;
  }

  /** The outcome of tests without a script. Default: exit 0. */
  public FakeEngine otherwise(Outcome outcome) {
    this.fallback = outcome;
    return this;
  }

  /** Every spec it was asked to run. */
  public List<ExecSpec> started() {
    return List.copyOf(started);
  }

  @Override
  public Exec start(ExecSpec spec) {
    Outcome o =
        script.getOrDefault(spec.environment().getOrDefault("PROTEUS_TEST_NAME", ""), fallback);
    if (o instanceof Outcome.CannotStart c) {
      throw new EngineException(c.reason());
    }
    if (o instanceof Outcome.Refused r) {
      throw EngineException.nonRetryable(r.kind(), r.reason());
    }
    started.add(spec);
    CompletableFuture<ExitStatus> done = new CompletableFuture<>();
    switch (o) {
      case Outcome.Exit e -> {
        e.stdout().forEach(spec.output()::stdout);
        e.stderr().forEach(spec.output()::stderr);
        writeResults(spec, e.results());
        done.complete(new ExitStatus(e.code(), false, false, e.took()));
      }
      case Outcome.TimedOut t -> done.complete(new ExitStatus(137, true, false, spec.timeout()));
      case Outcome.Hang h -> {}
      case Outcome.CannotStart c -> throw new IllegalStateException("handled above");
      case Outcome.Refused r -> throw new IllegalStateException("handled above");
    }
    return new Exec() {
      @Override
      public CompletionStage<ExitStatus> exit() {
        return done;
      }

      @Override
      public void abort() {
        done.complete(new ExitStatus(137, false, true, Duration.ZERO));
      }
    };
  }

  private static void writeResults(ExecSpec spec, List<String> lines) {
    String dir = spec.environment().get("PROTEUS_RESULTS");
    if (dir == null || lines.isEmpty()) {
      return;
    }
    try {
      Files.writeString(
          Path.of(dir).resolve("fake-engine.jsonl"),
          String.join("\n", lines) + "\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A platform whose engines are this one; its cache folders are local folders under the temp dir.
   */
  public Platform platform(String name) {
    FakeEngine self = this;
    return new Platform() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Engine newEngine(EngineContext context) {
        return self;
      }
    };
  }
}
