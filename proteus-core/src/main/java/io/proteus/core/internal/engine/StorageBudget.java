package io.proteus.core.internal.engine;

import io.proteus.StorageException;
import io.proteus.spi.Reservation;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** The core's byte budget for fetched builds. Thread-safe. */
public final class StorageBudget {
  private final long total;
  private long reserved;

  public StorageBudget(long total) {
    this.total = total;
  }

  /** Reserves {@code bytes}, or returns empty when they do not fit now. */
  public synchronized Optional<Reservation> tryReserve(long bytes, String purpose) {
    if (bytes < 0) {
      throw new StorageException("cannot reserve a negative size (" + bytes + ") for " + purpose);
    }
    if (bytes > total) {
      throw new StorageException(
          purpose
              + " needs "
              + bytes
              + " bytes but the whole storage budget is "
              + total
              + " bytes");
    }
    if (reserved + bytes > total) {
      return Optional.empty();
    }
    reserved += bytes;
    return Optional.of(new Held(bytes));
  }

  /**
   * Reserves {@code bytes} even past the budget: for storage a build already held when the last
   * core stopped, which must be counted until it is released.
   */
  public synchronized Reservation reserveHeld(long bytes) {
    long b = Math.max(0, bytes);
    reserved += b;
    return new Held(b);
  }

  /** Bytes reserved now. */
  public synchronized long reserved() {
    return reserved;
  }

  /** The whole budget. */
  public long total() {
    return total;
  }

  private synchronized void giveBack(long bytes) {
    reserved -= bytes;
  }

  private final class Held implements Reservation {
    private final long bytes;
    private final AtomicBoolean released = new AtomicBoolean();

    Held(long bytes) {
      this.bytes = bytes;
    }

    @Override
    public long bytes() {
      return bytes;
    }

    @Override
    public void release() {
      if (released.compareAndSet(false, true)) {
        giveBack(bytes);
      }
    }
  }
}
