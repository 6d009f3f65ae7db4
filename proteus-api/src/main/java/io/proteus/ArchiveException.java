package io.proteus;

/**
 * A build archive was refused: an entry would land outside the target folder (a {@code ..} name, an
 * absolute path, a link that escapes), or the archive broke a limit on size, entry count or
 * compression ratio. Nothing is written outside the target folder when this is thrown.
 */
public final class ArchiveException extends ProteusException {
  private static final long serialVersionUID = 1L;

  /** An archive error whose message names the archive and the entry at fault. */
  public ArchiveException(String message) {
    super(message);
  }

  /** An archive error caused by an I/O failure. */
  public ArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
