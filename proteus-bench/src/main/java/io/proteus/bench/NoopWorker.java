package io.proteus.bench;

import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.AbortRequest;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Worker;
import io.proteus.spi.WorkerContext;
import io.proteus.spi.WorkerEvents;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A worker that accepts and completes every task the moment it gets it, so a run measures the
 * scheduler alone. It records two gaps: for each dispatch after its first, the time since this
 * worker sent its previous result (its wait behind every other worker's events, then the core's
 * handling of its result and routing decision); and, shared by all workers, the time since the
 * previous dispatch to any worker. The core dispatches from its one loop thread, so the second is
 * the loop's whole time per task (two replies, a routing decision, a dispatch): an upper bound on
 * one routing decision.
 */
final class NoopWorker implements Worker {
  private static final AttemptReport PASSED =
      new AttemptReport(0, List.of(), Optional.empty(), Duration.ZERO);

  private final WorkerDescriptor descriptor;
  private final Samples gaps;
  private final Samples perDispatch;
  private final AtomicLong lastDispatch;
  private final AtomicLong done;
  private volatile @Nullable WorkerEvents events;
  private volatile long idleSince = -1;

  NoopWorker(
      String id,
      String pool,
      Samples gaps,
      Samples perDispatch,
      AtomicLong lastDispatch,
      AtomicLong done) {
    this.descriptor = WorkerDescriptor.of(id, pool, "linux");
    this.gaps = gaps;
    this.perDispatch = perDispatch;
    this.lastDispatch = lastDispatch;
    this.done = done;
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
    long now = System.nanoTime();
    long previous = lastDispatch.getAndSet(now);
    if (previous >= 0) {
      perDispatch.add(now - previous);
    }
    long since = idleSince;
    if (since >= 0) {
      gaps.add(now - since);
    }
    WorkerEvents ev = events;
    if (ev == null) {
      throw new IllegalStateException("dispatch before start");
    }
    ev.accepted(request.fencingToken());
    done.incrementAndGet();
    idleSince = System.nanoTime();
    ev.completed(request.fencingToken(), PASSED);
  }

  @Override
  public void abort(AbortRequest request) {
    WorkerEvents ev = events;
    if (ev != null) {
      ev.released(request.fencingToken());
    }
  }

  @Override
  public void stop() {}
}
