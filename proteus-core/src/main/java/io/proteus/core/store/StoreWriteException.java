package io.proteus.core.store;

import io.proteus.ProteusException;

/**
 * A durable store could not write: the disk is full or failing, or the store was closed. The
 * message says which write and why; the store keeps the last state it wrote completely, and the
 * core writes the same changes again.
 */
public final class StoreWriteException extends ProteusException {
  private static final long serialVersionUID = 1L;

  /** A write that failed, with the message saying what and where. */
  public StoreWriteException(String message) {
    super(message);
  }

  /** A write that failed, with its I/O cause. */
  public StoreWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
