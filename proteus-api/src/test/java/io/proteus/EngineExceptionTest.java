package io.proteus;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.spi.Failure;
import io.proteus.spi.FailureKind;
import org.junit.jupiter.api.Test;

/** An engine error says whether another attempt could succeed, and wrapping it keeps that. */
class EngineExceptionTest {

  @Test
  void aPlainEngineErrorIsRetried() {
    EngineException e = new EngineException("cannot start x");
    assertThat(e.failure())
        .isEqualTo(Failure.retryable(FailureKind.ENGINE_ERROR, "cannot start x"));
  }

  @Test
  void aNonRetryableErrorSaysSo() {
    EngineException e = EngineException.nonRetryable(FailureKind.POLICY_REFUSED, "image x:1");
    assertThat(e.retryable()).isFalse();
    assertThat(e.failure())
        .isEqualTo(Failure.nonRetryable(FailureKind.POLICY_REFUSED, "image x:1"));
  }

  @Test
  void wrappingARefusalKeepsItNonRetryable() {
    EngineException inner = EngineException.nonRetryable(FailureKind.BAD_BUILD, "no file 'a'");
    EngineException outer = new EngineException("cannot stage: no file 'a'", inner);
    assertThat(outer.kind()).isEqualTo(FailureKind.BAD_BUILD);
    assertThat(outer.retryable()).isFalse();
    assertThat(outer.getCause()).isSameAs(inner);
  }

  @Test
  void wrappingAnotherFailureIsARetryableEngineError() {
    EngineException e = new EngineException("cannot pull", new IllegalStateException("503"));
    assertThat(e.kind()).isEqualTo(FailureKind.ENGINE_ERROR);
    assertThat(e.retryable()).isTrue();
    EngineException again = new EngineException("cannot run", e);
    assertThat(again.retryable()).isTrue();
  }

  @Test
  void eachKindHasTheDefaultRetryabilityItDocuments() {
    assertThat(Failure.of(FailureKind.REJECTED, "busy").retryable()).isTrue();
    assertThat(Failure.of(FailureKind.ENGINE_ERROR, "x").retryable()).isTrue();
    assertThat(Failure.of(FailureKind.TIMEOUT, "x").retryable()).isTrue();
    assertThat(Failure.of(FailureKind.POLICY_REFUSED, "x").retryable()).isFalse();
    assertThat(Failure.of(FailureKind.BAD_BUILD, "x").retryable()).isFalse();
  }
}
