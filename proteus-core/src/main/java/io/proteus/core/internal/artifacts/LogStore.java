package io.proteus.core.internal.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Attempt logs uploaded to the core: {@code <root>/<job>/<task>-a<attempt>.log}, written to a
 * temporary sibling, forced to disk and moved over the name in one step, so a reader sees the old
 * log or the new one, never a part, and a repeated upload of an attempt replaces it.
 */
public final class LogStore {
  private static final Pattern TASK = Pattern.compile("0|[1-9][0-9]{0,8}");
  private static final Pattern ATTEMPT = Pattern.compile("[1-9][0-9]{0,3}");

  private final Path root;
  private final long maxBytes;

  /** A store under {@code root} that takes logs of at most {@code maxBytes}. */
  public LogStore(Path root, long maxBytes) {
    this.root = root.toAbsolutePath().normalize();
    this.maxBytes = maxBytes;
  }

  /** The most bytes one log may have. */
  public long maxBytes() {
    return maxBytes;
  }

  /**
   * Where a log goes, or empty when the names are not a job id, a task index ({@code 0} or a
   * positive number without leading zeros) and an attempt number (1 to 9999).
   */
  public Optional<Path> where(String job, String task, String attempt) {
    if (!FilePaths.isJobId(job)
        || !TASK.matcher(task).matches()
        || !ATTEMPT.matcher(attempt).matches()) {
      return Optional.empty();
    }
    return Optional.of(root.resolve(job).resolve(task + "-a" + attempt + ".log"));
  }

  /**
   * Stores a log read from {@code in}.
   *
   * @return its size and digest
   * @throws TooLarge when the log has more than {@link #maxBytes()}: nothing is kept
   */
  public Sha256.Sized store(Path dest, InputStream in) throws IOException {
    Path dir = dest.getParent();
    Files.createDirectories(dir);
    if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("the log folder is not a plain folder: " + dir.getFileName());
    }
    Path tmp = Files.createTempFile(dir, "." + dest.getFileName(), ".tmp");
    try {
      MessageDigest md = Sha256.digest();
      long total = 0;
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
          total += n;
          if (total > maxBytes) {
            throw new TooLarge(maxBytes);
          }
          md.update(buf, 0, n);
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
          while (bb.hasRemaining()) {
            out.write(bb);
          }
        }
        out.force(true);
      }
      try {
        Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
      }
      return new Sha256.Sized(total, Sha256.hex(md));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A log over the limit. */
  public static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long max) {
      super("a log has at most " + max + " bytes");
    }
  }
}
