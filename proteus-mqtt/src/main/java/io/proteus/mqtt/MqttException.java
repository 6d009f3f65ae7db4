package io.proteus.mqtt;

import io.proteus.ProteusException;

/**
 * The broker could not be used: it refused the credentials, could not be reached in time, or broke
 * the TLS handshake. {@link #reason()} says which. A message never holds a password.
 */
public final class MqttException extends ProteusException {
  private static final long serialVersionUID = 1L;

  /** Why the broker could not be used. */
  public enum Reason {
    /** The broker refused the user name, the password or the client. Retrying will not help. */
    REFUSED,
    /** The broker did not answer in time. */
    UNREACHABLE,
    /** The TLS handshake failed: an untrusted certificate, or a plain-TCP port. */
    TLS
  }

  private final Reason reason;

  /** An error of {@code reason} that says which broker and what happened. */
  public MqttException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the broker could not be used. */
  public Reason reason() {
    return reason;
  }
}
