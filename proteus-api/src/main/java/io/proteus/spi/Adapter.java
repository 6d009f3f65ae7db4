package io.proteus.spi;

/**
 * Brings builds to the core and takes their results away: a folder watcher, a CI server's hook, a
 * release tool. The core calls {@link #poll} every poll interval and {@link #deliver} for each
 * finished job, both on a virtual thread (blocking I/O is fine) and never two calls of one adapter
 * at once.
 */
public interface Adapter {

  /** A unique name, recorded on every job the adapter submits. */
  String name();

  /**
   * Looks for new builds: reserves storage, fetches their files, and submits them through the
   * context. A build that does not fit yet is left for a later poll. An exception is logged and the
   * next poll happens as usual.
   */
  void poll(AdapterContext context) throws Exception;

  /**
   * Hands over one finished job's results (upload them, write them). The result stays in the core's
   * outbox until this returns; if it throws, it is offered again later, so it must tolerate being
   * called again for a job it has already delivered.
   */
  void deliver(DeliveryContext context) throws Exception;
}
