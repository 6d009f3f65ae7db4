package io.proteus;

/**
 * A build file could not be served or fetched: the server refused the request, the bytes did not
 * match the digest the dispatch gave, the cache has no room, or the server stayed unreachable after
 * the retries. {@link #reason()} says which, and {@link #retryable()} whether a later try could
 * succeed. A message never holds a token.
 */
public final class ArtifactException extends ProteusException {
  private static final long serialVersionUID = 1L;

  /** Why a file could not be had. */
  public enum Reason {
    /** The server has no such file for the job (or the path was refused). */
    NOT_FOUND,
    /** The token was refused. */
    UNAUTHORIZED,
    /** The bytes' SHA-256 is not the one expected: nothing was kept. */
    DIGEST_MISMATCH,
    /** The bytes' length is not the one expected: nothing was kept. */
    SIZE_MISMATCH,
    /** The file or the answer is larger than a limit allows. */
    TOO_LARGE,
    /** The cache's byte budget is held by files in use. */
    CACHE_FULL,
    /** The server could not be reached or kept failing, after every retry. */
    UNAVAILABLE,
    /** A request or a local file could not be read or written. */
    IO
  }

  private final Reason reason;

  /** An artifact error with a message that names the job and the file, never a token. */
  public ArtifactException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** An artifact error caused by a lower-level failure. */
  public ArtifactException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the file could not be had. */
  public Reason reason() {
    return reason;
  }

  /**
   * Whether a later try could succeed: the server was unavailable, the cache was full of files in
   * use, or local I/O failed. A refusal, a wrong digest or a file too large stays so.
   */
  public boolean retryable() {
    return reason == Reason.UNAVAILABLE || reason == Reason.CACHE_FULL || reason == Reason.IO;
  }
}
