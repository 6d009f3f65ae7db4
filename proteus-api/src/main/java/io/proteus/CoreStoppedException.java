package io.proteus;

/**
 * The core is stopping or stopped, so it took nothing: a build submitted now was not stored, and a
 * call that needs the core's loop was not carried out. Callers keep what they hold (an adapter
 * leaves the build where it found it) and may offer it to a core that runs.
 */
public final class CoreStoppedException extends ProteusException {
  private static final long serialVersionUID = 1L;

  /** An error that says what was not done. */
  public CoreStoppedException(String message) {
    super(message);
  }
}
