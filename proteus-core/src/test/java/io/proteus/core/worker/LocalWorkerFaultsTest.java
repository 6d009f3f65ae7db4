package io.proteus.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.model.JobId;
import io.proteus.model.TaskId;
import io.proteus.model.TestSpec;
import io.proteus.spi.AbortRequest;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Engine;
import io.proteus.spi.EngineContext;
import io.proteus.spi.Exec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.Platform;
import io.proteus.spi.WorkerContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the worker does when its engine, its callbacks or the JVM misbehave. */
class LocalWorkerFaultsTest {
  @TempDir Path tmp;
  Path build;
  final RecordingEvents events = new RecordingEvents();
  LocalWorker worker;

  /** What each start does, in turn; empty: the command exits 0 at once. */
  final BlockingQueue<Function<ExecSpec, Exec>> script = new LinkedBlockingQueue<>();

  final Engine engine =
      new Engine() {
        @Override
        public Exec start(ExecSpec spec) {
          Function<ExecSpec, Exec> next = script.poll();
          return next == null ? exited(0) : next.apply(spec);
        }
      };

  static Exec exited(int code) {
    return new Exec() {
      @Override
      public CompletionStage<ExitStatus> exit() {
        return CompletableFuture.completedFuture(new ExitStatus(code, false, false, Duration.ZERO));
      }

      @Override
      public void abort() {}
    };
  }

  /** A command that ends only when the test says so, even once aborted. */
  static final class Held implements Exec {
    final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    final AtomicInteger aborts = new AtomicInteger();

    @Override
    public CompletionStage<ExitStatus> exit() {
      return exit;
    }

    @Override
    public void abort() {
      aborts.incrementAndGet();
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    build = Files.createDirectories(tmp.resolve("build"));
    Files.writeString(build.resolve("bin"), "unused");
    Platform platform =
        new Platform() {
          @Override
          public String name() {
            return "linux";
          }

          @Override
          public Engine newEngine(EngineContext context) {
            return engine;
          }
        };
    worker = LocalWorker.builder("w", platform).workRoot(tmp.resolve("work")).build();
    worker.start(new WorkerContext(events, Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    worker.stop();
  }

  DispatchRequest request(long token) {
    return new DispatchRequest(
        new TaskId(new JobId("j"), 0),
        1,
        token,
        TestSpec.of("t", "bin", Optional.empty(), List.of()),
        "linux",
        BuildFiles.ofFolder(build),
        Duration.ofMinutes(1));
  }

  void awaitEnd(long token) {
    await().atMost(Duration.ofSeconds(30)).until(() -> events.ended(token));
  }

  void theNextTaskRuns(long token) {
    worker.dispatch(request(token));
    awaitEnd(token);
    assertThat(events.seen).contains("completed " + token);
  }

  @Test
  void aRuntimeExceptionFromTheEngineIsAFailureToRunAndTheWorkerGoesOn() {
    script.add(spec -> {
      throw new IllegalStateException("docker-java: connection reset");
    });
    worker.dispatch(request(1));
    awaitEnd(1);
    assertThat(events.seen)
        .anyMatch(s -> s.startsWith("failed 1 ENGINE_ERROR") && s.contains("connection reset"));
    assertThat(events.failedLogs.get(1L)).isPresent();
    theNextTaskRuns(2);
  }

  @Test
  void anErrorInTheAttemptIsAFailureToRunAndTheWorkerGoesOn() {
    script.add(spec -> {
      throw new StackOverflowError("deep");
    });
    worker.dispatch(request(3));
    awaitEnd(3);
    assertThat(events.seen)
        .anyMatch(s -> s.startsWith("failed 3 ENGINE_ERROR") && s.contains("StackOverflowError"));
    theNextTaskRuns(4);
  }

  @Test
  void anExitThatCompletesExceptionallyIsAFailureToRun() {
    script.add(spec ->
        new Exec() {
          @Override
          public CompletionStage<ExitStatus> exit() {
            return CompletableFuture.failedFuture(new IllegalStateException("engine bug"));
          }

          @Override
          public void abort() {}
        });
    worker.dispatch(request(5));
    awaitEnd(5);
    assertThat(events.seen)
        .anyMatch(s -> s.startsWith("failed 5 ENGINE_ERROR") && s.contains("engine bug"));
    theNextTaskRuns(6);
  }

  /** An engine still starting (building an image, pulling) is interrupted by an abort. */
  @Test
  void anAbortWhileTheEngineIsStillStartingInterruptsTheStart() {
    CompletableFuture<Void> startBegan = new CompletableFuture<>();
    script.add(spec -> {
      startBegan.complete(null);
      try {
        new CompletableFuture<Void>().get();
        throw new AssertionError("unreachable");
      } catch (InterruptedException e) {
        throw new io.proteus.EngineException("the image build was stopped");
      } catch (java.util.concurrent.ExecutionException e) {
        throw new AssertionError(e);
      }
    });
    worker.dispatch(request(20));
    startBegan.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
    worker.abort(new AbortRequest(new TaskId(new JobId("j"), 0), 20, "cancelled"));
    await().atMost(Duration.ofSeconds(30)).until(() -> events.seen.contains("released 20"));
    assertThat(events.seen).noneMatch(e -> e.startsWith("failed 20"));
    theNextTaskRuns(21);
  }

  @Test
  void aCallbackThatThrowsDoesNotWedgeTheWorker() {
    RecordingEvents throwing =
        new RecordingEvents() {
          @Override
          public void progressed(long token, io.proteus.model.TaskStatus phase) {
            throw new IllegalStateException("listener broke");
          }
        };
    worker.stop();
    worker =
        LocalWorker.builder("w2", new io.proteus.core.process.ProcessPlatform("linux", tmp))
            .workRoot(tmp.resolve("work2"))
            .build();
    worker.start(new WorkerContext(throwing, Clock.systemUTC()));
    worker.dispatch(request(7));
    await().atMost(Duration.ofSeconds(30)).until(() -> throwing.ended(7));
    worker.dispatch(request(8));
    await().atMost(Duration.ofSeconds(30)).until(() -> throwing.ended(8));
    assertThat(throwing.seen).contains("accepted 8");
  }

  @Test
  void anAbortedAttemptIsReleasedOnceItsProcessesAreGoneAndTheNextTaskWaitsUntilThen() {
    Held held = new Held();
    script.add(spec -> held);
    worker.dispatch(request(9));
    await().atMost(Duration.ofSeconds(30)).until(() -> events.seen.contains("RUNNING 9"));
    worker.abort(new AbortRequest(request(9).task(), 9, "cancelled"));
    await().atMost(Duration.ofSeconds(30)).until(() -> held.aborts.get() > 0);
    worker.dispatch(request(10));
    assertThat(events.seen)
        .doesNotContain("released 9", "accepted 10")
        .noneMatch(s -> s.startsWith("failed 10"));
    held.exit.complete(new ExitStatus(137, false, true, Duration.ZERO));
    await().atMost(Duration.ofSeconds(30)).until(() -> events.ended(10));
    List<String> seen = List.copyOf(events.seen);
    assertThat(seen.indexOf("released 9")).isNotNegative().isLessThan(seen.indexOf("accepted 10"));
    assertThat(seen).noneMatch(s -> s.startsWith("failed 10"));
    theNextTaskRuns(11);
    assertThat(events.count("released 9")).isEqualTo(1);
    assertThat(events.seen)
        .noneMatch(s -> s.startsWith("completed 9") || s.startsWith("failed 9 "));
  }

  @Test
  void anAbortForTheAttemptThatJustEndedIsReleasedAtOnce() {
    theNextTaskRuns(12);
    worker.abort(new AbortRequest(request(12).task(), 12, "late"));
    assertThat(events.seen).contains("released 12");
    worker.abort(new AbortRequest(request(12).task(), 999, "unknown"));
    assertThat(events.seen).doesNotContain("released 999");
  }

  @Test
  void aHeartbeatThatThrowsDoesNotStopTheHeartbeats() {
    AtomicInteger beats = new AtomicInteger();
    RecordingEvents flaky =
        new RecordingEvents() {
          @Override
          public void heartbeat() {
            if (beats.incrementAndGet() == 1) {
              throw new IllegalStateException("transport hiccup");
            }
          }
        };
    worker.stop();
    worker =
        LocalWorker.builder("w3", new io.proteus.core.process.ProcessPlatform("linux", tmp))
            .workRoot(tmp.resolve("work3"))
            .heartbeatInterval(Duration.ofMillis(20))
            .build();
    worker.start(new WorkerContext(flaky, Clock.systemUTC()));
    await().atMost(Duration.ofSeconds(30)).until(() -> beats.get() >= 3);
  }
}
