package io.proteus.core.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * An engine's warm launchers: one per command running at once, the idle ones kept (a few) for the
 * next commands, and a private folder ({@code 0700}) for the commands' scripts. A launcher goes
 * back to the pool only after a clean end; any other is killed. {@link #close()} kills them all.
 */
final class LauncherPool implements AutoCloseable {
  static final int MAX_IDLE = 4;
  private static final HexFormat HEX = HexFormat.of();

  private final Isolation isolation;
  private final Path shell;
  private final Deque<Launcher> idle = new ArrayDeque<>();
  private final Set<Launcher> live = ConcurrentHashMap.newKeySet();
  private final AtomicInteger started = new AtomicInteger();
  private final SecureRandom random = new SecureRandom();
  private @Nullable Path folder;
  private boolean closed;

  LauncherPool(Isolation isolation, Path shell) {
    this.isolation = isolation;
    this.shell = shell;
  }

  /** An idle launcher that can take a command, else a new one. */
  Launcher acquire() throws IOException {
    while (true) {
      Launcher l;
      synchronized (this) {
        l = idle.pollFirst();
      }
      if (l == null) {
        break;
      }
      if (l.reusable()) {
        return l;
      }
      discard(l);
    }
    Launcher l = Launcher.start(isolation, shell);
    started.incrementAndGet();
    live.add(l);
    return l;
  }

  /**
   * Takes a launcher back after its command: kept if it ended cleanly, its shell is as it started,
   * and there is room.
   */
  void release(Launcher l, boolean clean) {
    boolean late;
    boolean keep = clean && l.reusable() && l.unchanged();
    synchronized (this) {
      late = closed;
      if (keep && !closed && idle.size() < MAX_IDLE) {
        idle.addFirst(l);
        return;
      }
    }
    discard(l);
    if (late) {
      removeFolder();
    }
  }

  /** Kills a launcher that will not be used again. */
  void discard(Launcher l) {
    live.remove(l);
    l.destroy();
  }

  /**
   * A fresh, unguessable marker: a SOH byte (rare in output, so rarely a partial match to hold
   * back), then 128 random bits in hex.
   */
  String marker() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return "\u0001" + HEX.formatHex(b);
  }

  /** The private folder for scripts, made on first use. */
  synchronized Path folder() throws IOException {
    if (folder == null || !Files.isDirectory(folder)) {
      Path f =
          Files.createTempDirectory(
              "proteus-launch-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      f.toFile().deleteOnExit();
      folder = f;
    }
    return folder;
  }

  /** The private folder for scripts, if it was made and not removed yet. */
  synchronized @Nullable Path currentFolder() {
    return folder;
  }

  /** How many launchers it started. */
  int started() {
    return started.get();
  }

  /** The {@code unshare} processes of the launchers alive now, idle or running a command. */
  List<ProcessHandle> launchers() {
    return live.stream().map(Launcher::handle).toList();
  }

  /**
   * Kills the idle launchers; those running a command are killed when it ends. The scripts' folder
   * goes once the last script is deleted.
   */
  @Override
  public void close() {
    List<Launcher> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(idle);
      idle.clear();
    }
    all.forEach(this::discard);
    removeFolder();
  }

  private synchronized void removeFolder() {
    if (folder != null && folder.toFile().delete()) {
      folder = null;
    }
  }
}
