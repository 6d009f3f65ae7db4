package io.proteus.core.internal.engine;

import io.proteus.core.internal.job.JobRecord;
import io.proteus.core.internal.job.TaskRecord;
import io.proteus.core.internal.job.Verdicts;
import io.proteus.core.internal.loop.EventLoop;
import io.proteus.core.internal.task.TaskEvent;
import io.proteus.core.internal.task.TaskMachine;
import io.proteus.core.internal.worker.WorkerRecord;
import io.proteus.model.AttemptRecord;
import io.proteus.model.TaskStatus;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.Failure;
import java.util.List;
import java.util.Optional;

/**
 * What workers tell the core, turned into the core's steps on the loop: ready, lost, accept,
 * progress, result, failure and release. Each reply is one all-or-nothing step, retried while the
 * store refuses it; a reply for an unknown or stale token is ignored with a reason.
 */
final class WorkerReplies {
  private final CoreEngine engine;
  private final EventLoop loop;

  WorkerReplies(CoreEngine engine, EventLoop loop) {
    this.engine = engine;
    this.loop = loop;
  }

  void onReady(String workerId) {
    engine
        .workers()
        .with(
            workerId,
            w ->
                engine.atomically(() -> {
                  seen(w);
                  engine.workers().ready(w);
                }));
  }

  /** Whether {@code link} is the link the core now has for {@code workerId}. */
  boolean isCurrentLink(String workerId, io.proteus.spi.Worker link) {
    WorkerRecord w = engine.workers().get(workerId);
    return w == null || w.link == link;
  }

  void ignoredFromOldLink(String workerId) {
    engine.ignored("a report from an old link of " + workerId + ", replaced since");
  }

  /** Runs {@code action} once every change made so far is in the store. */
  void afterStored(Runnable action) {
    engine.afterStored(action);
  }

  void onHeartbeat(String workerId) {
    engine.workers().with(workerId, w -> w.lastSeenNanos = loop.nanos());
  }

  void onDraining(String workerId, java.time.Duration deadline, String reason) {
    engine
        .workers()
        .with(
            workerId,
            w -> {
              engine.workers().drain(w, deadline, false);
            });
  }

  void onOutput(String workerId, long token, List<String> lines, long dropped) {
    engine.findByToken(token).ifPresent(t -> engine.liveTails().add(t.id, token, lines, dropped));
  }

  void onLost(String workerId, String reason) {
    engine.workers().with(workerId, w -> engine.atomically(() -> engine.workers().lose(w, reason)));
  }

  void onAccepted(String workerId, long token) {
    onTaskEvent(workerId, token, new TaskEvent.Accept(token));
  }

  void onProgress(String workerId, long token, TaskStatus phase) {
    TaskEvent e =
        phase == TaskStatus.UPLOADING ? new TaskEvent.Upload(token) : new TaskEvent.Start(token);
    onTaskEvent(workerId, token, e);
  }

  void onCompleted(String workerId, long token, AttemptReport report) {
    complete(workerId, token, report);
  }

  private void complete(String workerId, long token, AttemptReport report) {
    TaskRecord t = engine.findByToken(token).orElse(null);
    if (t == null) {
      engine.ignored("result from " + workerId + " for unknown or stale token " + token);
      return;
    }
    JobRecord job = engine.job(t.id.job());
    var verdict = Verdicts.judge(t.test, report);
    TaskEvent e = new TaskEvent.Complete(token, verdict.status(), verdict.reason());
    engine.atomically(() -> {
      engine.workers().with(workerId, this::seen);
      if (!TaskMachine.next(t.state, e).isIgnored()) {
        engine.tx().touch(t);
        t.cases = verdict.cases();
        t.exitCode = Optional.of(report.exitCode());
        t.log = report.log();
        report.log().ifPresent(where -> keepLog(t, token, where));
      }
      engine.apply(job, t, e);
    });
  }

  void onFailed(String workerId, long token, Failure failure, Optional<String> logPath) {
    engine.atomically(() -> {
      logPath.ifPresent(where ->
          engine
              .findByToken(token)
              .ifPresent(t -> {
                engine.tx().touch(t);
                keepLog(t, token, where);
              }));
      WorkerRecord w = engine.workers().get(workerId);
      if (w != null
          && failure.kind() == io.proteus.spi.FailureKind.REJECTED
          && engine.workers().drainingWith(w, token)) {
        onTaskEvent(
            workerId,
            token,
            new TaskEvent.HandBack(
                token,
                "handed back: worker "
                    + workerId
                    + " refused it while it drained: "
                    + failure.message()));
        return;
      }
      onTaskEvent(
          workerId,
          token,
          new TaskEvent.Fail(
              token, failure.kind().end(), failure.message(), false, failure.retryable()));
    });
  }

  void onReleased(String workerId, long token) {
    onReleased(workerId, token, Optional.empty());
  }

  void onReleased(String workerId, long token, Optional<String> logPath) {
    engine
        .workers()
        .with(
            workerId,
            w ->
                engine.atomically(() -> {
                  seen(w);
                  logPath.ifPresent(where -> keepLogOfAnyJob(token, where));
                  engine.workers().handBackReleased(w, token);
                  engine
                      .workers()
                      .abortOver(w, token, "the worker says the aborted attempt is over");
                }));
  }

  /** Keeps an aborted attempt's log, even on a job that became final when it was cancelled. */
  private void keepLogOfAnyJob(long token, String where) {
    engine
        .book()
        .byToken(token)
        .ifPresent(t -> {
          engine.tx().touch(t);
          keepLog(t, token, where);
          engine.changed(engine.job(t.id.job()));
        });
  }

  private static void keepLog(TaskRecord t, long token, String where) {
    for (int i = 0; i < t.attempts.size(); i++) {
      AttemptRecord r = t.attempts.get(i);
      if (r.fencingToken() == token) {
        t.attempts.set(i, r.withLog(Optional.of(where)));
      }
    }
  }

  private void onTaskEvent(String workerId, long token, TaskEvent e) {
    Optional<TaskRecord> t = engine.findByToken(token);
    if (t.isEmpty()) {
      engine.workers().with(workerId, w -> w.lastSeenNanos = loop.nanos());
      engine.ignored(
          e.getClass().getSimpleName()
              + " from "
              + workerId
              + " for unknown or stale token "
              + token);
      return;
    }
    engine.atomically(() -> {
      engine.workers().with(workerId, this::seen);
      engine.apply(engine.job(t.get().id.job()), t.get(), e);
    });
  }

  private void seen(WorkerRecord w) {
    engine.tx().touch(w);
    w.lastSeenNanos = loop.nanos();
  }
}
