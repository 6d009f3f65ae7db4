package io.proteus.testkit.junit5.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.model.TaskStatus;
import io.proteus.spi.AbortRequest;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Failure;
import io.proteus.spi.Worker;
import io.proteus.spi.WorkerContext;
import io.proteus.spi.WorkerEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Worker} link must do, whatever carries it (in process, over a transport): say
 * it is ready, accept an attempt before anything else about it, answer with the attempt's own
 * fencing token, stop an attempt on abort (saying once when it is over, for workers that report
 * releases) and take the next one, and ignore an abort for another attempt.
 */
public abstract class WorkerContract {
  private final List<String> events = new CopyOnWriteArrayList<>();
  private Worker worker;

  /** Makes the worker under test, not started. */
  protected abstract Worker newWorker() throws Exception;

  /** An attempt that passes. */
  protected abstract DispatchRequest passing(long token);

  /** An attempt that runs until aborted. */
  protected abstract DispatchRequest hanging(long token);

  /**
   * Whether the worker says, through {@link WorkerEvents#released}, when an aborted attempt is
   * over; such a worker takes the next task only after that. Default: false.
   */
  protected boolean reportsReleases() {
    return false;
  }

  /** Lets time pass for workers driven by a fake scheduler; real workers need nothing. */
  protected void settle() {}

  @BeforeEach
  void startWorker() throws Exception {
    worker = newWorker();
    worker.start(new WorkerContext(recorder(), Clock.systemUTC()));
  }

  @AfterEach
  void stopWorker() {
    worker.stop();
  }

  private WorkerEvents recorder() {
    return new WorkerEvents() {
      @Override
      public void ready() {
        events.add("ready");
      }

      @Override
      public void accepted(long token) {
        events.add("accepted " + token);
      }

      @Override
      public void progressed(long token, TaskStatus phase) {
        events.add("progressed " + token);
      }

      @Override
      public void completed(long token, AttemptReport report) {
        events.add("completed " + token);
      }

      @Override
      public void failed(long token, Failure failure, Optional<String> log) {
        events.add("failed " + token + " " + failure.kind());
      }

      @Override
      public void released(long token) {
        events.add("released " + token);
      }

      @Override
      public void heartbeat() {}

      @Override
      public void lost(String reason) {
        events.add("lost");
      }
    };
  }

  private void awaitEvent(String event) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> {
          settle();
          return events.contains(event);
        });
  }

  @Test
  void itSaysItIsReady() {
    awaitEvent("ready");
  }

  @Test
  void anAttemptIsAcceptedThenCompletedWithItsOwnToken() {
    worker.dispatch(passing(11));
    awaitEvent("completed 11");
    List<String> about = events.stream().filter(e -> e.endsWith(" 11")).toList();
    assertThat(about.getFirst()).isEqualTo("accepted 11");
    assertThat(events).noneMatch(e -> e.startsWith("failed"));
  }

  @Test
  void anAbortedAttemptNeverCompletesAndTheWorkerTakesTheNext() {
    worker.dispatch(hanging(21));
    awaitEvent("accepted 21");
    worker.abort(new AbortRequest(hanging(21).task(), 21, "contract test"));
    if (reportsReleases()) {
      awaitEvent("released 21");
    }
    worker.dispatch(passing(22));
    awaitEvent("completed 22");
    assertThat(events).doesNotContain("completed 21");
    if (reportsReleases()) {
      assertThat(events.stream().filter("released 21"::equals)).hasSize(1);
    }
  }

  @Test
  void anAbortForAnotherAttemptIsIgnored() {
    worker.dispatch(passing(31));
    worker.abort(new AbortRequest(passing(31).task(), 999, "wrong token"));
    awaitEvent("completed 31");
  }
}
