package io.proteus.spi;

import io.proteus.model.WorkerDescriptor;

/**
 * The core's link to one physical worker: an agent in this process, or one across a transport. The
 * core calls these methods on its loop thread; they must not block. The worker answers through the
 * {@link WorkerEvents} it was started with.
 */
public interface Worker {

  /** What the worker is and offers. */
  WorkerDescriptor descriptor();

  /** Connects the worker to the core. The worker calls {@link WorkerEvents#ready()} when it is. */
  void start(WorkerContext context);

  /** Sends an attempt. The worker answers with accepted, then completed or failed. */
  void dispatch(DispatchRequest request);

  /**
   * Stops an attempt. The worker answers with failed or completed, or with nothing if it had none.
   */
  void abort(AbortRequest request);

  /** Disconnects the worker; called once when the core stops or removes it. */
  void stop();
}
