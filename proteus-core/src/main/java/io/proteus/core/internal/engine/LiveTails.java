package io.proteus.core.internal.engine;

import io.proteus.model.JobId;
import io.proteus.model.LiveOutput;
import io.proteus.model.TaskId;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live tail of each task that printed while it ran: the last {@link #MAX_LINES} lines or {@link
 * #MAX_CHARS} chars of its latest attempt, with the count of earlier lines not kept. Written on the
 * loop, read from any thread; forgotten with its job.
 */
public final class LiveTails {
  /** The most lines a tail keeps. */
  public static final int MAX_LINES = 500;

  /** The most chars a tail keeps. */
  public static final int MAX_CHARS = 128 * 1024;

  private final Map<JobId, Map<Integer, Tail>> jobs = new ConcurrentHashMap<>();

  private static final class Tail {
    final long token;
    final ArrayDeque<String> lines = new ArrayDeque<>();
    long chars;
    long dropped;

    Tail(long token) {
      this.token = token;
    }

    synchronized void add(List<String> more, long notSent) {
      dropped += notSent;
      for (String l : more) {
        lines.addLast(l);
        chars += l.length();
        while (lines.size() > MAX_LINES || chars > MAX_CHARS) {
          chars -= lines.removeFirst().length();
          dropped++;
        }
      }
    }

    synchronized LiveOutput snapshot() {
      return new LiveOutput(token, List.copyOf(lines), dropped);
    }
  }

  /** Adds what attempt {@code token} of {@code task} printed; a newer attempt starts a new tail. */
  void add(TaskId task, long token, List<String> lines, long dropped) {
    Map<Integer, Tail> tasks = jobs.computeIfAbsent(task.job(), j -> new ConcurrentHashMap<>());
    Tail t =
        tasks.compute(
            task.index(), (i, old) -> old != null && old.token >= token ? old : new Tail(token));
    if (t.token == token) {
      t.add(lines, dropped);
    }
  }

  /** The tail of {@code task}, if it printed. */
  public Optional<LiveOutput> of(TaskId task) {
    Map<Integer, Tail> tasks = jobs.get(task.job());
    Tail t = tasks == null ? null : tasks.get(task.index());
    return t == null ? Optional.empty() : Optional.of(t.snapshot());
  }

  /** Forgets the tails of a job that left memory. */
  void forget(JobId job) {
    jobs.remove(job);
  }
}
