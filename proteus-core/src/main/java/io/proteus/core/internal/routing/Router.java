package io.proteus.core.internal.routing;

import io.proteus.model.Requirements;
import io.proteus.model.TaskId;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.Pool;
import io.proteus.spi.PoolChoice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides which queued task goes to which idle worker: pool, platform and tags must match; workers
 * scoped to the task's topic come first, generic workers next; a task whose resources another task
 * holds waits; the pool picks among the best tier. Pure: it changes nothing.
 */
public final class Router {
  private Router() {}

  /**
   * A task waiting for a worker.
   *
   * @param id the task
   * @param requirements what it needs
   * @param failedOn workers on which an earlier attempt could not run
   * @param fresherWorkerExists whether a live worker that could serve it has not failed it yet; if
   *     so, the retry waits for such a worker
   */
  public record QueuedTask(
      TaskId id, Requirements requirements, Set<String> failedOn, boolean fresherWorkerExists) {}

  /** A worker ready for a task. */
  public record IdleWorker(WorkerDescriptor descriptor, Instant lastAssigned, long tasksRun) {}

  /** One decision. */
  public record Assignment(TaskId task, String workerId) {}

  /**
   * Routes queued tasks, oldest first, to idle workers.
   *
   * @param queue tasks in the order they should be served
   * @param idle the idle workers
   * @param heldResources resources running tasks hold
   * @param pools the pool for each pool name
   */
  public static List<Assignment> route(
      List<QueuedTask> queue,
      Collection<IdleWorker> idle,
      Set<String> heldResources,
      Function<String, Pool> pools) {
    List<IdleWorker> free = new ArrayList<>(idle);
    Set<String> held = new HashSet<>(heldResources);
    List<Assignment> out = new ArrayList<>();
    for (QueuedTask task : queue) {
      if (free.isEmpty()) {
        break;
      }
      Requirements req = task.requirements();
      if (req.resources().stream().anyMatch(held::contains)) {
        continue;
      }
      Optional<IdleWorker> chosen = choose(task, free, pools.apply(req.pool()));
      if (chosen.isPresent()) {
        free.remove(chosen.get());
        held.addAll(req.resources());
        out.add(new Assignment(task.id(), chosen.get().descriptor().id()));
      }
    }
    return out;
  }

  /**
   * Picks the worker for one task among {@code free}: those that can serve it, then the retry rule,
   * then workers scoped to a topic first, then the pool's choice. Resources are not checked here.
   */
  public static Optional<IdleWorker> choose(QueuedTask task, List<IdleWorker> free, Pool pool) {
    Requirements req = task.requirements();
    List<IdleWorker> able =
        free.stream()
            .filter(w -> req.servableBy(w.descriptor()))
            .filter(
                w -> !task.fresherWorkerExists() || !task.failedOn().contains(w.descriptor().id()))
            .toList();
    if (able.isEmpty()) {
      return Optional.empty();
    }
    List<IdleWorker> scoped =
        able.stream().filter(w -> w.descriptor().topic().isPresent()).toList();
    List<IdleWorker> tier = scoped.isEmpty() ? able : scoped;
    List<PoolChoice.Candidate> candidates =
        tier.stream()
            .map(w ->
                new PoolChoice.Candidate(
                    w.descriptor(),
                    w.lastAssigned(),
                    w.tasksRun(),
                    task.failedOn().contains(w.descriptor().id())))
            .toList();
    PoolChoice.Candidate pick = pool.choose(new PoolChoice(task.id(), req, candidates));
    return tier.stream().filter(w -> w.descriptor().id().equals(pick.worker().id())).findFirst();
  }

  /** Why no worker among {@code registered} could ever serve {@code req}, or empty if one could. */
  public static Optional<String> whyUnroutable(
      Requirements req, Collection<WorkerDescriptor> registered) {
    if (registered.stream().anyMatch(req::servableBy)) {
      return Optional.empty();
    }
    StringBuilder why =
        new StringBuilder("no registered worker can serve pool '")
            .append(req.pool())
            .append("', platform '")
            .append(req.platform())
            .append("'");
    if (!req.tags().isEmpty()) {
      why.append(", tags ").append(req.tags().stream().sorted().toList());
    }
    req.topic().ifPresent(t -> why.append(", topic '").append(t).append("'"));
    if (registered.isEmpty()) {
      why.append(": no worker is registered");
    } else {
      why.append(": ");
      registered.stream()
          .sorted(java.util.Comparator.comparing(WorkerDescriptor::id))
          .limit(5)
          .forEach(w ->
              why.append(w.id()).append(" (").append(req.mismatch(w).orElse("?")).append("); "));
      why.setLength(why.length() - 2);
    }
    return Optional.of(why.toString());
  }
}
