package io.proteus.core.internal.engine;

import io.proteus.core.internal.loop.EventLoop;
import io.proteus.model.TaskStatus;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.Failure;
import io.proteus.spi.WorkerEvents;
import java.util.Optional;

/** Posts what one worker reports to the core's loop. Safe from any thread. */
final class LoopWorkerEvents implements WorkerEvents {
  private final EventLoop loop;
  private final WorkerReplies engine;
  private final String workerId;

  LoopWorkerEvents(EventLoop loop, WorkerReplies engine, String workerId) {
    this.loop = loop;
    this.engine = engine;
    this.workerId = workerId;
  }

  @Override
  public void ready() {
    loop.post(() -> engine.onReady(workerId));
  }

  @Override
  public void accepted(long fencingToken) {
    loop.post(() -> engine.onAccepted(workerId, fencingToken));
  }

  @Override
  public void progressed(long fencingToken, TaskStatus phase) {
    loop.post(() -> engine.onProgress(workerId, fencingToken, phase));
  }

  @Override
  public void completed(long fencingToken, AttemptReport report) {
    loop.post(() -> engine.onCompleted(workerId, fencingToken, report));
  }

  @Override
  public void failed(long fencingToken, Failure failure, Optional<String> log) {
    loop.post(() -> engine.onFailed(workerId, fencingToken, failure, log));
  }

  @Override
  public void released(long fencingToken, Optional<String> log) {
    loop.post(() -> engine.onReleased(workerId, fencingToken, log));
  }

  @Override
  public void released(long fencingToken) {
    loop.post(() -> engine.onReleased(workerId, fencingToken));
  }

  @Override
  public void heartbeat() {
    loop.post(() -> engine.onHeartbeat(workerId));
  }

  @Override
  public void lost(String reason) {
    loop.post(() -> engine.onLost(workerId, reason));
  }
}
