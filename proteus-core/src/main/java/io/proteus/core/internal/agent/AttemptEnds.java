package io.proteus.core.internal.agent;

import io.proteus.spi.Failure;
import io.proteus.spi.FailureKind;
import io.proteus.spi.transport.AgentMessage;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The one end an attempt reports, from how its run went. */
final class AttemptEnds {
  private AttemptEnds() {}

  /**
   * Released when the core aborted it; failed when the worker itself broke ({@code failure}) or the
   * run could not run; completed when it ran to its end.
   */
  static AgentMessage of(
      AttemptRun run,
      boolean aborted,
      AttemptRun.@Nullable Outcome outcome,
      @Nullable Throwable failure) {
    long token = run.token();
    if (aborted) {
      return new AgentMessage.Released(token, run.log());
    }
    if (failure != null || outcome == null) {
      return failed(token, FailureKind.ENGINE_ERROR, "the worker failed: " + failure, run.log());
    }
    return switch (outcome) {
      case AttemptRun.Outcome.Ran r -> new AgentMessage.Completed(token, r.report());
      case AttemptRun.Outcome.TimedOut t -> failed(token, FailureKind.TIMEOUT, t.reason(), t.log());
      case AttemptRun.Outcome.Broken b -> new AgentMessage.Failed(token, b.failure(), b.log());
      case AttemptRun.Outcome.Aborted a ->
          failed(token, FailureKind.ENGINE_ERROR, "the attempt was interrupted", a.log());
    };
  }

  private static AgentMessage failed(
      long token, FailureKind kind, String reason, Optional<String> where) {
    return new AgentMessage.Failed(token, Failure.of(kind, reason), where);
  }
}
