package io.proteus.core.internal.store;

import java.io.IOException;

/** A stored file that cannot be read back: bad JSON, a missing field, a wrong format version. */
public final class BadFileException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A file problem, with a message that says what is wrong and where in the file. */
  public BadFileException(String message) {
    super(message);
  }

  /** A file problem with its lower-level cause. */
  public BadFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
