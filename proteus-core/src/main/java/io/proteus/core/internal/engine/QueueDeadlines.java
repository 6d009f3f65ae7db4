package io.proteus.core.internal.engine;

import io.proteus.core.internal.job.TaskRecord;
import io.proteus.core.internal.loop.EventLoop;
import io.proteus.model.TaskStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue-wait deadlines of the queued tasks that have one, soonest first, and one loop timer for
 * the soonest. A task that enters the queue (submitted, or queued again for a retry) is added with
 * a full wait; one that leaves it (dispatched, cancelled, failed) is removed; each change costs
 * O(log n) and is undone with the step that made it. When the timer fires, each task past its
 * deadline is expired in a step of its own, and the timer is set for the next one. Loop thread
 * only.
 */
final class QueueDeadlines {
  private static final Logger log = LoggerFactory.getLogger(QueueDeadlines.class);

  /** How long after an expiry the store refused the task is tried again. */
  static final Duration RETRY = Duration.ofSeconds(1);

  /** Ends a task whose wait is over, with the reason; runs a step of its own. */
  @FunctionalInterface
  interface Expiry {
    void expire(TaskRecord task, String reason);
  }

  private record Entry(long due, long queuedAt, Duration limit, TaskRecord task) {}

  private static final Comparator<Entry> SOONEST =
      Comparator.comparingLong(Entry::due).thenComparingLong(e -> e.task().queueKey);

  private final EventLoop loop;
  private final Function<TaskRecord, Optional<Duration>> limits;
  private final Expiry expiry;
  private final Consumer<Runnable> later;
  private final TreeSet<Entry> byDue = new TreeSet<>(SOONEST);
  private final Map<TaskRecord, Entry> byTask = new IdentityHashMap<>();
  private EventLoop.@Nullable Timer timer;
  private long timerDue;
  private long timersSet;

  /**
   * Deadlines on {@code loop}; {@code limits} gives a task's queue timeout (absent: none), {@code
   * later} runs an effect once the current step has succeeded.
   */
  QueueDeadlines(
      EventLoop loop,
      Function<TaskRecord, Optional<Duration>> limits,
      Expiry expiry,
      Consumer<Runnable> later) {
    this.loop = loop;
    this.limits = limits;
    this.expiry = expiry;
    this.later = later;
  }

  /** Follows a task whose status changed from {@code before} to {@code after}. */
  void statusChanged(TaskRecord t, TaskStatus before, TaskStatus after, Consumer<Runnable> undo) {
    if (before == after) {
      return;
    }
    if (before == TaskStatus.QUEUED) {
      left(t, undo);
    }
    if (after == TaskStatus.QUEUED) {
      queued(t, undo);
    }
  }

  /** Starts the wait of a task that entered the queue, if it has a queue timeout. */
  void queued(TaskRecord t, Consumer<Runnable> undo) {
    Optional<Duration> limit = limits.apply(t);
    if (limit.isEmpty() || byTask.containsKey(t)) {
      return;
    }
    long now = loop.nanos();
    Entry e = new Entry(saturatedAdd(now, limit.get()), now, limit.get(), t);
    add(e);
    undo.accept(() -> remove(e));
    if (byDue.first() == e) {
      later.accept(this::arm);
    }
  }

  /** Forgets the wait of a task that left the queue. */
  void left(TaskRecord t, Consumer<Runnable> undo) {
    Entry e = byTask.get(t);
    if (e != null) {
      remove(e);
      undo.accept(() -> add(e));
    }
  }

  private void add(Entry e) {
    byDue.add(e);
    byTask.put(e.task(), e);
  }

  private void remove(Entry e) {
    byDue.remove(e);
    byTask.remove(e.task());
  }

  /** Sets the timer for the soonest deadline, unless one is already set for no later. */
  private void arm() {
    if (byDue.isEmpty()) {
      return;
    }
    long due = byDue.first().due();
    if (timer != null && timerDue <= due) {
      return;
    }
    if (timer != null) {
      timer.cancel();
    }
    timerDue = due;
    timersSet++;
    timer = loop.schedule(Duration.ofNanos(Math.max(0, due - loop.nanos())), this::fire);
  }

  private void fire() {
    timer = null;
    long now = loop.nanos();
    while (!byDue.isEmpty() && byDue.first().due() <= now) {
      Entry e = byDue.first();
      remove(e);
      try {
        expiry.expire(e.task(), reason(now - e.queuedAt(), e.limit()));
      } catch (RuntimeException ex) {
        log.warn("could not end task {} past its queue timeout; trying again", e.task().id, ex);
        add(new Entry(saturatedAdd(now, RETRY), e.queuedAt(), e.limit(), e.task()));
        break;
      }
    }
    arm();
  }

  static String reason(long waitedNanos, Duration limit) {
    return "no worker started it within its queue timeout of "
        + seconds(limit)
        + ": it waited "
        + seconds(Duration.ofNanos(waitedNanos))
        + " in the queue; not retried";
  }

  /** {@code 90s}, {@code 1.5s}, {@code 250ms}: short and exact to the millisecond. */
  static String seconds(Duration d) {
    if (d.toMillis() < 1000 && !d.isZero()) {
      return d.toMillis() + "ms";
    }
    return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString()
        + "s";
  }

  private static long saturatedAdd(long now, Duration d) {
    long n;
    try {
      n = d.toNanos();
    } catch (ArithmeticException e) {
      n = Long.MAX_VALUE;
    }
    long due = now + n;
    return due < now ? Long.MAX_VALUE : due;
  }

  /** How many deadlines are followed. */
  int size() {
    return byDue.size();
  }

  /** How many times a loop timer was set, for tests of the cost. */
  long timersSet() {
    return timersSet;
  }
}
