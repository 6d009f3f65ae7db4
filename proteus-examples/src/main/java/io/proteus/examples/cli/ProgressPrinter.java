package io.proteus.examples.cli;

import io.proteus.model.TaskStatus;
import io.proteus.spi.ProteusEvent;
import io.proteus.spi.ProteusListener;
import java.io.PrintStream;

/** Prints live progress: tasks starting, retrying and finishing; workers lost and back. */
final class ProgressPrinter implements ProteusListener {
  private final PrintStream out;

  ProgressPrinter(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onEvent(ProteusEvent event) {
    switch (event) {
      case ProteusEvent.JobSubmitted j ->
          out.printf("job   %-10s %s: %d tasks queued%n", j.platform(), j.plan(), j.tasks());
      case ProteusEvent.TaskChanged t -> task(t);
      case ProteusEvent.WorkerChanged w -> {
        if (w.to() == io.proteus.model.WorkerState.OFFLINE
            || w.from() == io.proteus.model.WorkerState.OFFLINE
            || w.to() == io.proteus.model.WorkerState.DRAINING) {
          out.printf(
              "worker %s: %s -> %s (%s)%n", w.worker(), w.from(), w.to(), w.reason().orElse(""));
        }
      }
      case ProteusEvent.JobFinished f ->
          out.printf(
              "job   %-10s %s: %s%n",
              f.result().platform(), f.result().plan().name(), f.result().status());
      case ProteusEvent.WorkerQuarantined q ->
          out.printf(
              "worker %s: quarantined by %s: %s%n",
              q.worker(), q.quarantine().by(), q.quarantine().reason());
      case ProteusEvent.WorkerReleased r ->
          out.printf("worker %s: released by %s%n", r.worker(), r.by());
      case ProteusEvent.Ignored i -> {}
    }
    out.flush();
  }

  private void task(ProteusEvent.TaskChanged t) {
    String who = t.worker().map(w -> " on " + w).orElse("");
    if (t.to() == TaskStatus.RUNNING) {
      out.printf("run   %-10s %-16s attempt %d%s%n", t.platform(), t.test(), t.attempt(), who);
    } else if (t.to() == TaskStatus.QUEUED
        && t.attempt() > 0
        && t.reason().filter(r -> r.startsWith("handed back")).isPresent()) {
      out.printf(
          "back  %-10s %-16s attempt %d %s%n",
          t.platform(), t.test(), t.attempt(), t.reason().orElse(""));
    } else if (t.to() == TaskStatus.QUEUED && t.attempt() > 0) {
      out.printf(
          "retry %-10s %-16s attempt %d failed to run: %s%n",
          t.platform(), t.test(), t.attempt(), t.reason().orElse(""));
    } else if (t.to().isFinal()) {
      out.printf(
          "done  %-10s %-16s %s%s%n",
          t.platform(), t.test(), t.to(), t.reason().map(r -> " (" + r + ")").orElse(""));
    }
  }
}
