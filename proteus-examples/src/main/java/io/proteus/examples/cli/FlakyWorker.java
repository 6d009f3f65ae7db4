package io.proteus.examples.cli;

import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.AbortRequest;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Worker;
import io.proteus.spi.WorkerContext;
import io.proteus.spi.WorkerEvents;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker that dies once: it takes its first task, then vanishes as a crashed machine would, and
 * comes back a moment later. The demo uses it to show a retry on another worker.
 */
final class FlakyWorker implements Worker {
  private final Worker delegate;
  private final AtomicBoolean died = new AtomicBoolean();
  private volatile WorkerEvents events;

  FlakyWorker(Worker delegate) {
    this.delegate = delegate;
  }

  @Override
  public WorkerDescriptor descriptor() {
    return delegate.descriptor();
  }

  @Override
  public void start(WorkerContext context) {
    events = context.events();
    delegate.start(context);
  }

  @Override
  public void dispatch(DispatchRequest request) {
    if (died.compareAndSet(false, true)) {
      events.accepted(request.fencingToken());
      Thread.ofVirtual()
          .start(() -> {
            pause(Duration.ofMillis(300));
            events.lost("simulated crash (the demo's worker that dies once)");
            pause(Duration.ofSeconds(1));
            events.ready();
          });
      return;
    }
    delegate.dispatch(request);
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void abort(AbortRequest request) {
    delegate.abort(request);
  }

  @Override
  public void stop() {
    delegate.stop();
  }
}
