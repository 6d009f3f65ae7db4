package io.proteus.core.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Killing processes and knowing when they are gone, zombies counted as gone. */
final class Processes {
  private static final int MAX_ENVIRON_BYTES = 1 << 20;

  private Processes() {}

  /** Whether {@code p} runs nothing any more: ended, or a zombie nobody reaped yet. */
  static boolean isDead(ProcessHandle p) {
    if (!p.isAlive()) {
      return true;
    }
    Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
    try {
      String s = Files.readString(stat, StandardCharsets.ISO_8859_1);
      int close = s.lastIndexOf(')');
      return close > 0
          && close + 2 < s.length()
          && (s.charAt(close + 2) == 'Z' || s.charAt(close + 2) == 'X');
    } catch (IOException | RuntimeException e) {
      return !p.isAlive();
    }
  }

  /** Kills each (a handle checks its start time, so a reused pid is never hit). */
  static void killAll(Collection<ProcessHandle> handles) {
    for (ProcessHandle h : handles) {
      h.destroyForcibly();
    }
  }

  /**
   * Waits until every one is dead or {@code limit} passed; returns those still running. Polls: a
   * process that is not our child has no exit notice.
   */
  static List<ProcessHandle> awaitDead(Collection<ProcessHandle> handles, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    List<ProcessHandle> left = new ArrayList<>(handles);
    long pause = 1;
    while (true) {
      left.removeIf(Processes::isDead);
      if (left.isEmpty() || System.nanoTime() - deadline >= 0) {
        return left;
      }
      Thread.sleep(pause);
      pause = Math.min(pause * 2, 50);
    }
  }

  /**
   * Every process whose environment holds {@code entry} ({@code NAME=value}): what an attempt
   * started, even after it left the process tree. Linux only; elsewhere, and for processes this
   * user cannot read, nothing.
   */
  static List<ProcessHandle> carrying(String entry) {
    byte[] needle = (entry + "\0").getBytes(StandardCharsets.UTF_8);
    List<ProcessHandle> found = new ArrayList<>();
    ProcessHandle self = ProcessHandle.current();
    ProcessHandle.allProcesses()
        .filter(h -> !h.equals(self))
        .forEach(h -> {
          if (environHolds(h.pid(), needle)) {
            found.add(h);
          }
        });
    return found;
  }

  private static boolean environHolds(long pid, byte[] needle) {
    Path environ = Path.of("/proc", Long.toString(pid), "environ");
    try (InputStream in = Files.newInputStream(environ)) {
      byte[] env = in.readNBytes(MAX_ENVIRON_BYTES);
      return indexOf(env, needle) >= 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      if (i > 0 && hay[i - 1] != 0) {
        continue;
      }
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
