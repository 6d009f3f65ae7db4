package io.proteus.spi;

import java.util.Comparator;

/**
 * A named, load-balancing group of workers: it picks which idle worker gets each task of its jobs.
 * Called on the core's loop thread; must be quick and must not block.
 */
public interface Pool {

  /** The pool's name, matched against a plan's {@code pool}. */
  String name();

  /**
   * Picks one of the candidates. The core offers the idle workers that can serve the task, scoped
   * ones first, longest idle first, and at most 64 of them (all of them for a retry), so that a
   * decision costs the same in a large fleet.
   */
  PoolChoice.Candidate choose(PoolChoice choice);

  /**
   * The default: a worker that has not failed this task before, then the one idle the longest, so
   * work spreads evenly and retries move to another worker.
   */
  static Pool leastRecentlyUsed(String name) {
    Comparator<PoolChoice.Candidate> order =
        Comparator.comparing(PoolChoice.Candidate::failedThisTask)
            .thenComparing(PoolChoice.Candidate::lastAssigned)
            .thenComparing(c -> c.worker().id());
    return new Pool() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public PoolChoice.Candidate choose(PoolChoice choice) {
        return choice.candidates().stream().min(order).orElseThrow();
      }
    };
  }
}
