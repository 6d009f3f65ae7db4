package io.proteus.docker.internal;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a container, or removes it, retrying with backoff until the daemon confirms it is dead
 * (gone, or stopped) or the limit passes; one instance per phase, each with its own limit. Daemon
 * failures are retried, never thrown.
 */
final class Reaping {
  private static final Logger log = LoggerFactory.getLogger(Reaping.class);
  private static final long MAX_BACKOFF_MS = 2000;

  private final Daemon daemon;
  private final String id;
  private final Duration limit;
  private final long deadline;

  Reaping(Daemon daemon, String id, Duration limit) {
    this.daemon = daemon;
    this.id = id;
    this.limit = limit;
    this.deadline = System.nanoTime() + limit.toNanos();
  }

  /**
   * Kills until the container is dead; returns its exit code when known. Gives up, logging, after
   * the limit.
   */
  Integer killUntilDead(CompletableFuture<Integer> waitCode) {
    long backoff = 50;
    while (true) {
      Kill k = kill();
      if (k == Kill.GONE) {
        return null;
      }
      if (k == Kill.SENT && !waitCode.isCompletedExceptionally()) {
        try {
          return waitCode.get(Math.min(2000, Math.max(1, leftMillis())), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
          // fall back on inspecting it
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      State s = state();
      if (s.gone) {
        return null;
      }
      if (s.stopped) {
        return s.code;
      }
      if (leftMillis() <= 0) {
        log.error(
            "container {} could not be confirmed dead within {}; reporting it ended anyway",
            id,
            limit);
        return null;
      }
      backoff = pause(backoff);
    }
  }

  /** Removes the container, retrying until the daemon confirms it is gone or the limit passes. */
  boolean removeUntilGone() {
    long backoff = 50;
    while (true) {
      try {
        daemon.calls().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        return true;
      } catch (NotFoundException e) {
        return true;
      } catch (RuntimeException e) {
        log.debug("cannot remove container {} yet: {}", id, Errors.describe(e));
      }
      State s = state();
      if (s.gone) {
        return true;
      }
      if (leftMillis() <= 0) {
        if (s.stopped) {
          log.warn("container {} is stopped but could not be removed within {}", id, limit);
        } else {
          log.error(
              "container {} could not be removed or confirmed stopped within {}; giving up",
              id,
              limit);
        }
        return false;
      }
      backoff = pause(backoff);
    }
  }

  private enum Kill {
    SENT,
    GONE,
    FAILED
  }

  /** Sends SIGKILL. */
  private Kill kill() {
    try {
      daemon.calls().killContainerCmd(id).exec();
      return Kill.SENT;
    } catch (NotFoundException e) {
      return Kill.GONE;
    } catch (ConflictException e) {
      log.debug("container {} is not running: {}", id, e.getMessage());
      return Kill.SENT;
    } catch (RuntimeException e) {
      log.debug("kill of container {} failed: {}", id, Errors.describe(e));
      return Kill.FAILED;
    }
  }

  private record State(boolean gone, boolean stopped, Integer code) {}

  private State state() {
    try {
      InspectContainerResponse.ContainerState s =
          daemon.calls().inspectContainerCmd(id).exec().getState();
      boolean running =
          Boolean.TRUE.equals(s.getRunning())
              || Boolean.TRUE.equals(s.getRestarting())
              || Boolean.TRUE.equals(s.getPaused());
      Long code = s.getExitCodeLong();
      return new State(false, !running, code == null ? null : code.intValue());
    } catch (NotFoundException e) {
      return new State(true, true, null);
    } catch (RuntimeException e) {
      log.debug("cannot inspect container {}: {}", id, Errors.describe(e));
      return new State(false, false, null);
    }
  }

  private long leftMillis() {
    return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
  }

  private long pause(long backoff) {
    try {
      Thread.sleep(Math.max(1, Math.min(backoff, Math.max(1, leftMillis()))));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
}
