package io.proteus.core.internal.engine;

import io.proteus.core.internal.loop.EventLoop;
import io.proteus.model.TaskStatus;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.Failure;
import io.proteus.spi.Worker;
import io.proteus.spi.WorkerEvents;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Posts what one worker's link reports to the core's loop. Safe from any thread. Once an agent has
 * joined again on a new link, its old link can no longer say it is ready or lost; what it reports
 * about attempts still counts, by fencing token.
 */
final class LoopWorkerEvents implements WorkerEvents {
  private final EventLoop loop;
  private final WorkerReplies engine;
  private final String workerId;
  private final Worker link;

  LoopWorkerEvents(EventLoop loop, WorkerReplies engine, String workerId, Worker link) {
    this.loop = loop;
    this.engine = engine;
    this.workerId = workerId;
    this.link = link;
  }

  private void postFromCurrentLink(Runnable event) {
    loop.post(() -> {
      if (engine.isCurrentLink(workerId, link)) {
        event.run();
      } else {
        engine.ignoredFromOldLink(workerId);
      }
    });
  }

  @Override
  public CompletionStage<Void> handled() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.post(() -> engine.afterStored(() -> done.complete(null)));
    return done;
  }

  @Override
  public void ready() {
    postFromCurrentLink(() -> engine.onReady(workerId));
  }

  @Override
  public void accepted(long fencingToken) {
    loop.post(() -> engine.onAccepted(workerId, fencingToken));
  }

  @Override
  public void output(long fencingToken, List<String> lines, long dropped) {
    List<String> copy = List.copyOf(lines);
    loop.post(() -> engine.onOutput(workerId, fencingToken, copy, dropped));
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
  public void draining(java.time.Duration deadline, String reason) {
    postFromCurrentLink(() -> engine.onDraining(workerId, deadline, reason));
  }

  @Override
  public void heartbeat() {
    loop.post(() -> engine.onHeartbeat(workerId));
  }

  @Override
  public void lost(String reason) {
    postFromCurrentLink(() -> engine.onLost(workerId, reason));
  }
}
