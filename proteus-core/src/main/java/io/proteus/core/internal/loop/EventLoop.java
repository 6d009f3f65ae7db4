package io.proteus.core.internal.loop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
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
  private final LongSupplier nanos;
  private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private volatile @Nullable Thread thread;
  private volatile boolean running;
  private volatile boolean stopped;

  /** A loop whose timers follow {@code clock}: for tests that step a manual clock. */
  public EventLoop(Clock clock) {
    this(clock, () -> nanosOf(clock.instant()));
  }

  /**
   * A loop that stamps events with {@code clock} but times its timers (leases, deadlines) with the
   * monotonic {@code nanos}, so that a wall clock set back or forth fires no lease early or late.
   */
  public EventLoop(Clock clock, LongSupplier nanos) {
    this.clock = clock;
    this.nanos = nanos;
  }

  private static long nanosOf(Instant t) {
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (ArithmeticException e) {
      return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** The loop's monotonic time in nanoseconds; only differences mean anything. */
  public long nanos() {
    return nanos.getAsLong();
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
    Timer timer = new Timer(dueAfter(delay), sequence.incrementAndGet(), action);
    timers.add(timer);
    return timer;
  }

  /** The monotonic time {@code delay} from now; saturates instead of overflowing. */
  private long dueAfter(Duration delay) {
    long d;
    try {
      d = Math.max(0, delay.toNanos());
    } catch (ArithmeticException e) {
      d = delay.isNegative() ? 0 : Long.MAX_VALUE;
    }
    long now = nanos();
    long due = now + d;
    return due < now ? Long.MAX_VALUE : due;
  }

  /** When the next timer is due, if any, on the loop's clock. Call on the loop only. */
  public Optional<Instant> nextTimer() {
    Timer t;
    while ((t = timers.peek()) != null && t.cancelled) {
      timers.poll();
    }
    if (t == null) {
      return Optional.empty();
    }
    long wait = t.due - nanos();
    Instant now = now();
    try {
      return Optional.of(now.plusNanos(Math.max(0, wait)));
    } catch (java.time.DateTimeException | ArithmeticException e) {
      return Optional.of(Instant.MAX);
    }
  }

  private long nanosUntilNextTimer() {
    Timer t;
    while ((t = timers.peek()) != null && t.cancelled) {
      timers.poll();
    }
    return t == null ? Long.MAX_VALUE : Math.max(0, t.due - nanos());
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
    } catch (RuntimeException | Error e) {
      log.error("An event failed on the core's loop; the loop goes on", e);
    }
  }

  private @Nullable Timer pollDueTimer() {
    long now = nanos();
    while (true) {
      Timer t = timers.peek();
      if (t == null || t.due > now) {
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
    try {
      loopUntilStopped();
    } finally {
      stopped = true;
    }
  }

  private void loopUntilStopped() {
    while (running) {
      runReady();
      if (!running) {
        return;
      }
      long waitMillis = Math.max(1, Math.min(60_000L, nanosUntilNextTimer() / 1_000_000L));
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
    } finally {
      stopped = true;
    }
  }

  /** Whether the loop thread was stopped: events posted now never run. */
  public boolean isStopped() {
    return stopped;
  }

  /** A scheduled action; cancel it to drop it. */
  public static final class Timer implements Comparable<Timer> {
    private final long due;
    private final long seq;
    private final Runnable action;
    private boolean cancelled;

    Timer(long due, long seq, Runnable action) {
      this.due = due;
      this.seq = seq;
      this.action = action;
    }

    public void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Timer o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
