package io.proteus.core.internal.engine;

import io.proteus.model.Requirements;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.AbortRequest;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Worker;
import io.proteus.spi.WorkerContext;
import java.util.Set;

/**
 * The stand-in link of a worker that held a live attempt when the last core stopped, until the
 * worker's own link joins. It sends nothing: the core gives it no work and waits for the real link.
 */
final class AwaitedWorker implements Worker {
  /** The {@code joinedVia} of a worker that waits for its link after a restart. */
  static final Object MARK =
      new Object() {
        @Override
        public String toString() {
          return "resumed from the store";
        }
      };

  private final WorkerDescriptor descriptor;

  AwaitedWorker(String id, Requirements held) {
    this.descriptor =
        new WorkerDescriptor(id, held.pool(), held.platform(), Set.of(), held.topic());
  }

  @Override
  public WorkerDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public void start(WorkerContext context) {}

  @Override
  public void dispatch(DispatchRequest request) {
    throw new IllegalStateException("worker " + descriptor.id() + " has not joined this core yet");
  }

  @Override
  public void abort(AbortRequest request) {}

  @Override
  public void stop() {}
}
