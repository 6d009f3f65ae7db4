package io.proteus.spi;

import java.util.concurrent.CompletionStage;

/** A command an engine started. */
public interface Exec {

  /** Completes when the command and its output are done. Never completes exceptionally. */
  CompletionStage<ExitStatus> exit();

  /** Kills the command and everything it started. Idempotent; safe from any thread. */
  void abort();
}
