package io.proteus;

import io.proteus.spi.Failure;
import io.proteus.spi.FailureKind;
import org.jspecify.annotations.Nullable;

/**
 * An engine could not run a task: the command could not start, the environment is missing, or the
 * engine itself failed. The core treats it as a failure to run, so the task is retried elsewhere,
 * unless it is {@linkplain #nonRetryable not retryable}: then the task ends at once as ERROR.
 */
public final class EngineException extends ProteusException {
  private static final long serialVersionUID = 1L;

  private final FailureKind kind;
  private final boolean retryable;

  /** An engine error, retried on another worker, with a message that says what could not run. */
  public EngineException(String message) {
    this(FailureKind.ENGINE_ERROR, true, message, null);
  }

  /**
   * An engine error caused by a lower-level failure. If {@code cause} is itself an engine error,
   * this one keeps its kind and whether it may be retried: adding context to a policy refusal does
   * not make it retryable. Else it is an engine error, retried on another worker.
   */
  public EngineException(String message, Throwable cause) {
    this(
        cause instanceof EngineException e ? e.kind : FailureKind.ENGINE_ERROR,
        !(cause instanceof EngineException e) || e.retryable,
        message,
        cause);
  }

  private EngineException(
      FailureKind kind, boolean retryable, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.retryable = retryable;
  }

  /**
   * A failure no other attempt could get past (a policy refusal, a file the build lacks): the task
   * ends at once instead of being retried.
   */
  public static EngineException nonRetryable(FailureKind kind, String message) {
    return new EngineException(kind, false, message, null);
  }

  /** What kind of failure this is. */
  public FailureKind kind() {
    return kind;
  }

  /** Whether another attempt could succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** This error as the failure a worker reports. */
  public Failure failure() {
    return new Failure(kind, getMessage() == null ? kind.name() : getMessage(), retryable);
  }
}
