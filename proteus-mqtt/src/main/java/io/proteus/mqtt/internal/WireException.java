package io.proteus.mqtt.internal;

/**
 * A message that cannot be taken: what was wrong with it ({@link #kind()}) and where. Counted and
 * dropped by the receiver, never thrown past it.
 */
public final class WireException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The kinds of bad messages a receiver counts apart. */
  public enum Kind {
    /** Not JSON, not an object, or a field of the wrong shape. */
    MALFORMED,
    /** A protocol version this side does not speak. */
    VERSION,
    /** Larger than the configured maximum. */
    OVERSIZED,
    /** A message type this side does not know. */
    UNKNOWN_TYPE
  }

  private final Kind kind;

  /** A bad message of {@code kind}, with what was wrong. */
  public WireException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** A bad message of {@code kind}, caused by {@code cause}. */
  public WireException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** What kind of bad message it was. */
  public Kind kind() {
    return kind;
  }
}
