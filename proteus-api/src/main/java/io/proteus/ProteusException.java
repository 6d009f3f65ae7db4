package io.proteus;

/**
 * The root of every exception Proteus throws. It is unchecked so that callers catch it where they
 * can act on it; the subtypes say what kind of input or resource was at fault.
 */
public class ProteusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message that says what went wrong and where. */
  public ProteusException(String message) {
    super(message);
  }

  /** An exception with a message and the lower-level cause. */
  public ProteusException(String message, Throwable cause) {
    super(message, cause);
  }
}
