package io.proteus;

/**
 * An engine could not run a task: the command could not start, the environment is missing, or the
 * engine itself failed. The core treats it as a failure to run, so the task is retried elsewhere.
 */
public final class EngineException extends ProteusException {
  private static final long serialVersionUID = 1L;

  /** An engine error with a message that says what could not run. */
  public EngineException(String message) {
    super(message);
  }

  /** An engine error caused by a lower-level failure. */
  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
