package io.proteus.core.internal.artifacts;

import java.util.concurrent.atomic.LongAdder;

/** The server's counters, added to by the handler from any thread. */
public final class Stats {
  /** Requests that reached the handler. */
  public final LongAdder requests = new LongAdder();

  /** Files (or parts) sent with a body. */
  public final LongAdder filesServed = new LongAdder();

  /** File bytes sent. */
  public final LongAdder bytesServed = new LongAdder();

  /** Requests answered 401. */
  public final LongAdder unauthorized = new LongAdder();

  /** Requests answered 404. */
  public final LongAdder notFound = new LongAdder();

  /** Logs stored. */
  public final LongAdder logsStored = new LongAdder();
}
