package io.proteus.core.internal.loop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the core's state. Other threads {@link #post} events; timers run on the
 * loop when the clock reaches them. The loop either runs on its own thread ({@link #start}) or is
 * stepped by a test ({@link #runReady}) with a manual clock.
 */
public final class EventLoop {
  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

  private final Clock clock;
  private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private volatile @Nullable Thread thread;
  private volatile boolean running;

  public EventLoop(Clock clock) {
    this.clock = clock;
  }

  public Clock clock() {
    return clock;
  }

  public Instant now() {
    return clock.instant();
  }

  /** Queues an event. Safe from any thread. */
  public void post(Runnable event) {
    queue.add(event);
  }

  /** Runs {@code action} on the loop after {@code delay}. Call on the loop only. */
  public Timer schedule(Duration delay, Runnable action) {
    Timer timer = new Timer(now().plus(delay), sequence.incrementAndGet(), action);
    timers.add(timer);
    return timer;
  }

  /** When the next timer is due, if any. Call on the loop only. */
  public Optional<Instant> nextTimer() {
    Timer t;
    while ((t = timers.peek()) != null && t.cancelled) {
      timers.poll();
    }
    return Optional.ofNullable(t).map(x -> x.due);
  }

  /** Whether the caller is the loop's own thread, or no loop thread runs (a test steps it). */
  public boolean isLoopThread() {
    Thread t = thread;
    return t == null || t == Thread.currentThread();
  }

  /** Whether a dedicated thread runs the loop. */
  public boolean isThreaded() {
    return thread != null;
  }

  /**
   * Runs every queued event and every due timer, until none is left. Returns how many ran. Used by
   * tests that step the loop; the loop thread calls it too.
   */
  public int runReady() {
    int ran = 0;
    while (true) {
      Runnable event = queue.poll();
      if (event == null) {
        Timer due = pollDueTimer();
        if (due == null) {
          return ran;
        }
        event = due.action;
      }
      ran++;
      runSafely(event);
    }
  }

  private static void runSafely(Runnable event) {
    try {
      event.run();
    } catch (RuntimeException e) {
      log.error("An event failed on the core's loop; the loop goes on", e);
    }
  }

  private @Nullable Timer pollDueTimer() {
    Instant now = now();
    while (true) {
      Timer t = timers.peek();
      if (t == null || t.due.isAfter(now)) {
        return null;
      }
      timers.poll();
      if (!t.cancelled) {
        return t;
      }
    }
  }

  /** Starts a dedicated loop thread. */
  public synchronized void start(String name) {
    if (thread != null) {
      return;
    }
    running = true;
    Thread t = Thread.ofPlatform().name(name).daemon(true).unstarted(this::runForever);
    thread = t;
    t.start();
  }

  private void runForever() {
    while (running) {
      runReady();
      if (!running) {
        return;
      }
      long waitMillis =
          nextTimer()
              .map(due -> Math.max(1, Duration.between(now(), due).toMillis()))
              .orElse(60_000L);
      try {
        Runnable event = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
        if (event != null) {
          runSafely(event);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Stops the loop thread after the events queued so far. */
  public void stop() {
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t == null) {
      return;
    }
    post(() -> running = false);
    try {
      t.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A scheduled action; cancel it to drop it. */
  public static final class Timer implements Comparable<Timer> {
    private final Instant due;
    private final long seq;
    private final Runnable action;
    private boolean cancelled;

    Timer(Instant due, long seq, Runnable action) {
      this.due = due;
      this.seq = seq;
      this.action = action;
    }

    public void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Timer o) {
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
