package io.proteus.testkit;

import io.proteus.model.CaseStatus;
import io.proteus.model.TestCaseResult;
import io.proteus.spi.Failure;
import io.proteus.spi.FailureKind;
import java.time.Duration;
import java.util.List;

/** What a {@link ScriptedWorker} does with a task. Make them with the static methods. */
public sealed interface Behavior {

  /** Runs for {@code duration}, exits with {@code exitCode} and reports {@code cases}. */
  record Complete(Duration duration, int exitCode, List<TestCaseResult> cases) implements Behavior {
    /** Copies the cases. */
    public Complete {
      cases = List.copyOf(cases);
    }
  }

  /** Accepts and never answers, like a hung test on a hung worker. */
  record Hang() implements Behavior {}

  /**
   * Accepts, then after {@code after} the worker vanishes; it comes back after {@code backAfter} if
   * that is positive.
   */
  record Die(Duration after, Duration backAfter) implements Behavior {}

  /** Refuses the task. */
  record Reject(String reason) implements Behavior {}

  /** Accepts, then the engine fails after {@code after}. */
  record EngineError(Duration after, String reason) implements Behavior {}

  /** Accepts, then reports a timeout after {@code after}. */
  record TimeOut(Duration after) implements Behavior {}

  /** Accepts, then reports after {@code after} that it could not run, as {@code failure} says. */
  record Fails(Duration after, Failure failure) implements Behavior {}

  /** Passes after {@code duration}, reporting one passed case per name. */
  static Behavior pass(Duration duration, String... cases) {
    return new Complete(
        duration,
        0,
        java.util.Arrays.stream(cases).map(c -> TestCaseResult.of(c, CaseStatus.PASSED)).toList());
  }

  /** Passes at once. */
  static Behavior pass() {
    return pass(Duration.ofSeconds(1));
  }

  /** Exits 1 after {@code duration}, reporting the named cases as failed. */
  static Behavior fail(Duration duration, String... failedCases) {
    return new Complete(
        duration,
        1,
        java.util.Arrays.stream(failedCases)
            .map(c -> TestCaseResult.of(c, CaseStatus.FAILED))
            .toList());
  }

  /** Completes with exactly these cases and exit code. */
  static Behavior report(int exitCode, TestCaseResult... cases) {
    return new Complete(Duration.ofSeconds(1), exitCode, List.of(cases));
  }

  /** Never answers. */
  static Behavior hang() {
    return new Hang();
  }

  /** The worker dies one second in and never comes back. */
  static Behavior die() {
    return new Die(Duration.ofSeconds(1), Duration.ZERO);
  }

  /** The worker dies one second in and comes back after {@code backAfter}. */
  static Behavior dieAndReturn(Duration backAfter) {
    return new Die(Duration.ofSeconds(1), backAfter);
  }

  /** The worker refuses the task. */
  static Behavior reject() {
    return new Reject("scripted rejection");
  }

  /** The engine fails. */
  static Behavior engineError() {
    return new EngineError(Duration.ofMillis(100), "scripted engine error");
  }

  /**
   * The attempt could not run in a way no other attempt could get past (a policy refusal, a file
   * the build lacks): the core ends the task at once.
   */
  static Behavior refuse(FailureKind kind, String reason) {
    return new Fails(Duration.ofMillis(100), Failure.nonRetryable(kind, reason));
  }

  /** The attempt times out after {@code after}. */
  static Behavior timeOut(Duration after) {
    return new TimeOut(after);
  }
}
