package io.proteus.core.internal.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a kept end's file is forced to disk. The outbox writes each end's file before the end is
 * sent, without forcing it: a file in the operating system's cache survives the agent's process
 * being killed, and forcing it costs milliseconds on the path of every task (and slows every other
 * file operation on the same disk while the journal commits). An end the core has not acknowledged
 * {@link #DELAY} after it was kept is then forced, with its folder, so that it also survives the
 * machine losing power during a long core or broker outage. Most ends are acknowledged, and their
 * files deleted, well before that. Thread-safe.
 */
final class OutboxSync {
  private static final Logger log = LoggerFactory.getLogger(OutboxSync.class);

  /** How long a kept end may wait unacknowledged before its file is forced to disk. */
  static final Duration DELAY = Duration.ofSeconds(1);

  private static final ScheduledExecutorService SHARED =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("proteus-outbox-sync").factory());

  /** What forces one file or folder to disk. */
  @FunctionalInterface
  interface Force {
    /** Forces {@code path}, a file or a folder, to disk. */
    void force(Path path) throws IOException;
  }

  private final ScheduledExecutorService timer;
  private final Duration delay;
  private final Force force;

  /**
   * Forces with {@code fsync} on one daemon thread shared by every outbox, after {@link #DELAY}.
   */
  static OutboxSync standard() {
    return new OutboxSync(SHARED, DELAY, OutboxSync::fsync);
  }

  OutboxSync(ScheduledExecutorService timer, Duration delay, Force force) {
    this.timer = timer;
    this.delay = delay;
    this.force = force;
  }

  /** Forces {@code file} after the delay, unless it is gone by then. */
  void kept(Path file) {
    timer.schedule(() -> forceIfKept(file), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Forces {@code file} and its folder when the file still exists; whether it did. Failures are
   * logged: the file stays in the operating system's cache and the end in memory.
   */
  boolean forceIfKept(Path file) {
    if (!Files.exists(file)) {
      return false;
    }
    try {
      force.force(file);
      force.force(file.getParent());
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException | RuntimeException e) {
      log.warn("cannot force the kept attempt end {} to disk: {}", file, e.toString());
      return false;
    }
  }

  private static void fsync(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
