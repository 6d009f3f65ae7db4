package io.proteus.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Actions due at instants of a {@link ManualClock}, run when the test environment advances the
 * clock past them. Fakes use it to reply later without threads.
 */
public final class FakeScheduler {
  private final ManualClock clock;
  private final PriorityQueue<Entry> queue = new PriorityQueue<>();
  private long seq;

  private record Entry(Instant due, long seq, Runnable action) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  /** A scheduler on this clock. */
  public FakeScheduler(ManualClock clock) {
    this.clock = clock;
  }

  /** Runs {@code action} once the clock reaches now plus {@code delay}. */
  public synchronized void schedule(Duration delay, Runnable action) {
    queue.add(new Entry(clock.instant().plus(delay), seq++, action));
  }

  /** When the next action is due. */
  public synchronized Optional<Instant> next() {
    return Optional.ofNullable(queue.peek()).map(Entry::due);
  }

  /** Runs every action due by now; returns how many ran. */
  public int runDue() {
    int ran = 0;
    while (true) {
      Entry e;
      synchronized (this) {
        e = queue.peek();
        if (e == null || e.due().isAfter(clock.instant())) {
          return ran;
        }
        queue.poll();
      }
      e.action().run();
      ran++;
    }
  }
}
