package io.proteus.examples.cli;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGTERM for the commands that run until stopped: the first asks for a graceful stop (drain), a
 * second for an immediate one. Each runs on its own thread, so the signal is never blocked.
 */
final class TermSignal {
  private TermSignal() {}

  /**
   * Runs {@code graceful} on the first SIGTERM and {@code immediate} on the next. Returns false
   * when this JVM cannot handle SIGTERM (then the default applies: shutdown hooks, exit 143).
   */
  static boolean install(String name, Runnable graceful, Runnable immediate) {
    AtomicInteger count = new AtomicInteger();
    try {
      Signal.handle(
          new Signal("TERM"),
          s -> {
            int n = count.incrementAndGet();
            if (n <= 2) {
              Thread.ofPlatform()
                  .name(name + (n == 1 ? "-drain" : "-stop"))
                  .start(n == 1 ? graceful : immediate);
            }
          });
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
