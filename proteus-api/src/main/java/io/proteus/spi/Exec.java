package io.proteus.spi;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** A command an engine started. */
public interface Exec {

  /** Completes when the command and its output are done. Never completes exceptionally. */
  CompletionStage<ExitStatus> exit();

  /** Kills the command and everything it started. Idempotent; safe from any thread. */
  void abort();

  /**
   * Stops the command politely: every process of it is asked to end ({@code SIGTERM}, as {@code
   * docker stop} does), and whatever still runs once {@code grace} has passed is killed as by
   * {@link #abort()}; an {@link #abort()} meanwhile kills at once. The command ends as aborted.
   * Lets a test clean up (remove its temporary files, close its connections) before it goes.
   * Idempotent; safe from any thread. The default kills at once, for engines that cannot ask.
   */
  default void stop(Duration grace) {
    abort();
  }
}
