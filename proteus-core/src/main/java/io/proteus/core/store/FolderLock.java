package io.proteus.core.store;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One process at a time in a store's folder: an OS lock on {@code store.lock}, held while a store
 * of this process has the folder open. Within the process, the store that opened the folder last
 * owns it; an earlier one is fenced.
 */
final class FolderLock {
  static final String NAME = "store.lock";
  private static final Map<Path, FolderLock> HELD = new HashMap<>();

  private final Path root;
  private final FileChannel channel;
  private final FileLock lock;
  private @Nullable Object owner;

  private FolderLock(Path root, FileChannel channel, FileLock lock) {
    this.root = root;
    this.channel = channel;
    this.lock = lock;
  }

  /** The folder's lock, taken from another process only if that one does not hold it. */
  static FolderLock acquire(Path root) {
    synchronized (HELD) {
      FolderLock held = HELD.get(root);
      if (held != null) {
        return held;
      }
      FileChannel ch = null;
      try {
        ch =
            FileChannel.open(
                root.resolve(NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l = ch.tryLock();
        if (l == null) {
          throw new StoreWriteException(
              "the job store at "
                  + root
                  + " is in use by another process ("
                  + NAME
                  + " is locked)");
        }
        FolderLock f = new FolderLock(root, ch, l);
        HELD.put(root, f);
        return f;
      } catch (IOException e) {
        closeQuietly(ch);
        throw new StoreWriteException("cannot lock the job store at " + root + ": " + e, e);
      } catch (RuntimeException e) {
        closeQuietly(ch);
        throw e;
      }
    }
  }

  /** Makes {@code store} the owner; an earlier owner is fenced. */
  void own(Object store) {
    synchronized (HELD) {
      owner = store;
    }
  }

  /** Whether {@code store} owns the folder. */
  boolean heldBy(Object store) {
    synchronized (HELD) {
      return owner == store && HELD.get(root) == this;
    }
  }

  /** Releases the lock if {@code store} owns it, or if nobody does yet ({@code null}). */
  void release(@Nullable Object store) {
    synchronized (HELD) {
      if (owner != store || HELD.get(root) != this) {
        return;
      }
      HELD.remove(root);
      owner = null;
      try {
        lock.release();
      } catch (IOException ignored) {
        // closing the channel releases it too
      }
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(@Nullable FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
    }
  }

  /** {@code HOST-PID}: the host name, or {@code localhost} when it cannot be had, and the pid. */
  static String defaultCoreId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
