package io.proteus.core.internal.task;

import io.proteus.core.internal.task.TaskEvent.Accept;
import io.proteus.core.internal.task.TaskEvent.Cancel;
import io.proteus.core.internal.task.TaskEvent.Complete;
import io.proteus.core.internal.task.TaskEvent.Dispatch;
import io.proteus.core.internal.task.TaskEvent.Fail;
import io.proteus.core.internal.task.TaskEvent.HandBack;
import io.proteus.core.internal.task.TaskEvent.QueueExpired;
import io.proteus.core.internal.task.TaskEvent.Start;
import io.proteus.core.internal.task.TaskEvent.Unroutable;
import io.proteus.core.internal.task.TaskEvent.Upload;
import io.proteus.core.internal.task.TaskState.Dispatched;
import io.proteus.core.internal.task.TaskState.Done;
import io.proteus.core.internal.task.TaskState.Loading;
import io.proteus.core.internal.task.TaskState.Queued;
import io.proteus.core.internal.task.TaskState.Running;
import io.proteus.core.internal.task.TaskState.Uploading;
import io.proteus.model.AttemptEnd;
import io.proteus.model.TaskStatus;

/**
 * The task state machine: a pure function of (state, event). Every pair is handled; an event that
 * makes no sense in a state, or that carries another attempt's fencing token, is ignored with a
 * reason, never an exception.
 */
public final class TaskMachine {
  /** Attempts a task gets before it is ERROR. */
  public static final int MAX_ATTEMPTS = 3;

  private TaskMachine() {}

  /** The transition for {@code event} in {@code state}. */
  public static TaskTransition next(TaskState state, TaskEvent event) {
    return switch (state) {
      case Queued q -> onQueued(q, event);
      case Dispatched d -> onLive(state, d.attempt(), event);
      case Loading l -> onLive(state, l.attempt(), event);
      case Running r -> onLive(state, r.attempt(), event);
      case Uploading u -> onLive(state, u.attempt(), event);
      case Done d -> TaskTransition.ignore(d, "task is already " + d.status());
    };
  }

  private static TaskTransition onQueued(Queued q, TaskEvent event) {
    return switch (event) {
      case Dispatch d ->
          d.attempt().number() == q.attemptsUsed() + 1 && q.attemptsUsed() < MAX_ATTEMPTS
              ? TaskTransition.to(new Dispatched(d.attempt()))
              : TaskTransition.ignore(q, "attempt " + d.attempt().number() + " out of turn");
      case Accept a -> TaskTransition.ignore(q, "accept for token " + a.token() + " while queued");
      case Start s -> TaskTransition.ignore(q, "start for token " + s.token() + " while queued");
      case Upload u -> TaskTransition.ignore(q, "upload for token " + u.token() + " while queued");
      case Complete c ->
          TaskTransition.ignore(q, "result for token " + c.token() + " while queued");
      case Fail f -> TaskTransition.ignore(q, "failure for token " + f.token() + " while queued");
      case HandBack h ->
          TaskTransition.ignore(q, "hand-back for token " + h.token() + " while queued");
      case Cancel c ->
          TaskTransition.to(new Done(TaskStatus.CANCELLED, q.attemptsUsed(), c.reason()));
      case Unroutable u ->
          TaskTransition.to(new Done(TaskStatus.ERROR, q.attemptsUsed(), u.reason()));
      case QueueExpired x ->
          TaskTransition.to(new Done(TaskStatus.ERROR, q.attemptsUsed(), x.reason()));
    };
  }

  private static TaskTransition onLive(TaskState state, Attempt live, TaskEvent event) {
    return switch (event) {
      case Dispatch d ->
          TaskTransition.ignore(state, "already dispatched as attempt " + live.number());
      case Accept a -> {
        if (a.token() != live.token()) {
          yield stale(state, a.token(), live);
        }
        yield state instanceof Dispatched
            ? TaskTransition.to(new Loading(live))
            : TaskTransition.ignore(state, "duplicate accept");
      }
      case Start s -> {
        if (s.token() != live.token()) {
          yield stale(state, s.token(), live);
        }
        yield state instanceof Loading
            ? TaskTransition.to(new Running(live))
            : state instanceof Dispatched
                ? TaskTransition.ignore(state, "start before the worker accepted")
                : TaskTransition.ignore(state, "start while " + state.status());
      }
      case Upload u -> {
        if (u.token() != live.token()) {
          yield stale(state, u.token(), live);
        }
        yield state instanceof Uploading
            ? TaskTransition.ignore(state, "duplicate upload")
            : state instanceof Dispatched
                ? TaskTransition.ignore(state, "upload before the worker accepted")
                : TaskTransition.to(new Uploading(live));
      }
      case Complete c ->
          c.token() != live.token()
              ? stale(state, c.token(), live)
              : state instanceof Dispatched
                  ? TaskTransition.ignore(state, "result before the worker accepted")
                  : TaskTransition.ending(
                      new Done(c.verdict(), live.number(), c.reason()),
                      live,
                      AttemptEnd.COMPLETED,
                      c.reason(),
                      false);
      case Fail f -> f.token() != live.token() ? stale(state, f.token(), live) : fail(live, f);
      case HandBack h ->
          h.token() != live.token()
              ? stale(state, h.token(), live)
              : TaskTransition.ending(
                  new Queued(live.number() - 1),
                  live,
                  AttemptEnd.HANDED_BACK,
                  h.reason(),
                  h.abortWorker(),
                  false);
      case Cancel c ->
          TaskTransition.ending(
              new Done(TaskStatus.CANCELLED, live.number(), c.reason()),
              live,
              AttemptEnd.CANCELLED,
              c.reason(),
              true);
      case Unroutable u -> TaskTransition.ignore(state, "unroutable while " + state.status());
      case QueueExpired x -> TaskTransition.ignore(state, "queue timeout while " + state.status());
    };
  }

  private static TaskTransition fail(Attempt live, Fail f) {
    if (!f.retryable()) {
      return TaskTransition.ending(
          new Done(TaskStatus.ERROR, live.number(), "could not run, not retried: " + f.reason()),
          live,
          f.end(),
          f.reason(),
          f.abortWorker(),
          false);
    }
    TaskState next =
        live.number() < MAX_ATTEMPTS
            ? new Queued(live.number())
            : new Done(
                TaskStatus.ERROR,
                live.number(),
                "could not run in " + MAX_ATTEMPTS + " attempts; last: " + f.reason());
    return TaskTransition.ending(next, live, f.end(), f.reason(), f.abortWorker());
  }

  private static TaskTransition stale(TaskState state, long token, Attempt live) {
    return TaskTransition.ignore(
        state,
        "stale token " + token + " (live attempt " + live.number() + " has " + live.token() + ")");
  }
}
