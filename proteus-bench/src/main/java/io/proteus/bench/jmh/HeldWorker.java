package io.proteus.bench.jmh;

import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.AbortRequest;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Worker;
import io.proteus.spi.WorkerContext;
import io.proteus.spi.WorkerEvents;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A worker that keeps what it is sent and answers only when told, so a benchmark on a stepped core
 * decides when each transition happens. Used from the loop's own (the caller's) thread.
 */
final class HeldWorker implements Worker {
  static final AttemptReport PASSED =
      new AttemptReport(0, List.of(), Optional.empty(), Duration.ZERO);

  private final WorkerDescriptor descriptor;
  private final ArrayDeque<DispatchRequest> received = new ArrayDeque<>();
  private @Nullable WorkerEvents events;

  HeldWorker(String id, String pool) {
    this.descriptor = WorkerDescriptor.of(id, pool, "linux");
  }

  @Override
  public WorkerDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public void start(WorkerContext context) {
    events = context.events();
    context.events().ready();
  }

  @Override
  public void dispatch(DispatchRequest request) {
    received.add(request);
  }

  @Override
  public void abort(AbortRequest request) {
    events().released(request.fencingToken());
  }

  @Override
  public void stop() {}

  /** The oldest request not yet taken, if any. */
  Optional<DispatchRequest> take() {
    return Optional.ofNullable(received.poll());
  }

  /** The events to answer with. */
  WorkerEvents events() {
    WorkerEvents e = events;
    if (e == null) {
      throw new IllegalStateException("the worker has not started");
    }
    return e;
  }
}
