package io.proteus;

/**
 * Storage could not be reserved: the request is larger than the whole budget, or the disk failed.
 */
public final class StorageException extends ProteusException {
  private static final long serialVersionUID = 1L;

  /** A storage error with a message that says what was asked and what is available. */
  public StorageException(String message) {
    super(message);
  }
}
