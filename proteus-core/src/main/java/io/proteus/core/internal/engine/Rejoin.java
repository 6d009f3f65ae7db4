package io.proteus.core.internal.engine;

import io.proteus.core.internal.job.JobRecord;
import io.proteus.core.internal.job.TaskRecord;
import io.proteus.core.internal.task.Attempt;
import io.proteus.core.internal.task.TaskEvent;
import io.proteus.core.internal.task.TaskState;
import io.proteus.core.internal.worker.WorkerRecord;
import io.proteus.model.AttemptEnd;
import io.proteus.model.TaskId;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Worker;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker that joins again on a new link (an agent's new session) and says which attempts it
 * holds: what the core keeps, sends again, retries and aborts. One step on the loop.
 */
final class Rejoin {
  private static final Logger log = LoggerFactory.getLogger(Rejoin.class);

  private Rejoin() {}

  /**
   * Replaces {@code w}'s link with {@code link} and matches the attempts it holds against the
   * core's: the live attempt on {@code w} is kept when held (and counts as accepted), sent again
   * when not held and its dispatch may never have arrived, else failed as lost and retried. An
   * aborted attempt not held is over. Returns the held attempts the core does not run on it.
   */
  static Set<Long> rejoin(
      WorkerBook book, CoreEngine engine, WorkerRecord w, Worker link, Set<Long> held) {
    return rejoin(book, engine, w, link, held, false);
  }

  /**
   * As {@link #rejoin(WorkerBook, CoreEngine, WorkerRecord, Worker, Set)}; {@code resumed} when the
   * worker's attempt was rebuilt from the store after a restart: an attempt it no longer holds was
   * lost to the restart, not to the worker or the test, so it is handed back: queued again without
   * using up one of the task's attempts or counting against the worker.
   */
  static Set<Long> rejoin(
      WorkerBook book,
      CoreEngine engine,
      WorkerRecord w,
      Worker link,
      Set<Long> held,
      boolean resumed) {
    Set<Long> stale = new TreeSet<>(held);
    String id = w.descriptor.id();
    book.relink(w, link);
    Attempt attempt = w.attempt;
    TaskId task = w.task;
    if (attempt != null && task != null) {
      long token = attempt.token();
      JobRecord j = engine.job(task.job());
      TaskRecord t = j.tasks.get(task.index());
      if (held.contains(token)) {
        stale.remove(token);
        log.info("worker {} joined again holding attempt {} of {}: kept", id, token, task);
        if (t.state instanceof TaskState.Dispatched) {
          engine.apply(j, t, new TaskEvent.Accept(token));
        }
      } else if (t.state instanceof TaskState.Dispatched) {
        log.info("worker {} joined again without attempt {} of {}: sent again", id, token, task);
        DispatchRequest r = Dispatcher.request(engine.config(), j, t, attempt);
        engine.later(() -> engine.redispatch(j, t, w, r));
      } else {
        if (resumed) {
          engine.apply(
              j,
              t,
              new TaskEvent.HandBack(
                  token,
                  "the core restarted and worker " + id + " no longer holds attempt " + token,
                  false));
        } else {
          engine.apply(
              j,
              t,
              new TaskEvent.Fail(
                  token,
                  AttemptEnd.WORKER_LOST,
                  "worker " + id + " joined again without attempt " + token,
                  false));
        }
        if (w.attempt == null) {
          book.release(w, task, AttemptEnd.WORKER_LOST, false);
        }
      }
    }
    WorkerRecord.Aborting ab = w.aborting;
    if (ab != null) {
      if (!stale.remove(ab.token())) {
        book.abortOver(w, ab.token(), "the worker joined again without it");
      }
    }
    book.ready(w);
    return stale;
  }
}
