package io.proteus.core.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.AttemptEnd;
import io.proteus.model.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskMachineTest {
  static final Attempt LIVE = new Attempt(1, 100, "w1");
  static final long STALE = 99;

  static List<TaskState> states() {
    return List.of(
        new TaskState.Queued(0),
        new TaskState.Dispatched(LIVE),
        new TaskState.Loading(LIVE),
        new TaskState.Running(LIVE),
        new TaskState.Uploading(LIVE),
        new TaskState.Done(TaskStatus.PASSED, 1, ""),
        new TaskState.Done(TaskStatus.FAILED, 1, "x"),
        new TaskState.Done(TaskStatus.ERROR, 3, "x"),
        new TaskState.Done(TaskStatus.CANCELLED, 0, "x"));
  }

  static List<TaskEvent> events(long token) {
    return List.of(
        new TaskEvent.Dispatch(new Attempt(1, token, "w1")),
        new TaskEvent.Accept(token),
        new TaskEvent.Start(token),
        new TaskEvent.Upload(token),
        new TaskEvent.Complete(token, TaskStatus.PASSED, ""),
        new TaskEvent.Complete(token, TaskStatus.FAILED, "failed: a"),
        new TaskEvent.Fail(token, AttemptEnd.WORKER_LOST, "lost", false),
        new TaskEvent.Fail(token, AttemptEnd.TIMEOUT, "timeout", true),
        new TaskEvent.Fail(token, AttemptEnd.REJECTED, "busy", false),
        new TaskEvent.Fail(token, AttemptEnd.ENGINE_ERROR, "broken", false),
        new TaskEvent.Fail(token, AttemptEnd.ENGINE_ERROR, "refused", false, false),
        new TaskEvent.HandBack(token, "drained"),
        new TaskEvent.Cancel("cancelled"),
        new TaskEvent.Unroutable("nobody"),
        new TaskEvent.QueueExpired("waited too long"));
  }

  /** The expected next status for every (state, event) pair with the live token. */
  static TaskStatus expected(TaskState s, TaskEvent e) {
    TaskStatus st = s.status();
    if (st.isFinal()) {
      return st;
    }
    if (s instanceof TaskState.Queued) {
      return switch (e) {
        case TaskEvent.Dispatch d -> TaskStatus.DISPATCHED;
        case TaskEvent.Cancel c -> TaskStatus.CANCELLED;
        case TaskEvent.Unroutable u -> TaskStatus.ERROR;
        case TaskEvent.QueueExpired x -> TaskStatus.ERROR;
        default -> TaskStatus.QUEUED;
      };
    }
    return switch (e) {
      case TaskEvent.Dispatch d -> st;
      case TaskEvent.Accept a -> st == TaskStatus.DISPATCHED ? TaskStatus.LOADING : st;
      case TaskEvent.Start x -> st == TaskStatus.LOADING ? TaskStatus.RUNNING : st;
      case TaskEvent.Upload u -> st == TaskStatus.DISPATCHED ? st : TaskStatus.UPLOADING;
      case TaskEvent.Complete c -> st == TaskStatus.DISPATCHED ? st : c.verdict();
      case TaskEvent.Fail f -> f.retryable() ? TaskStatus.QUEUED : TaskStatus.ERROR;
      case TaskEvent.HandBack h -> TaskStatus.QUEUED;
      case TaskEvent.Cancel c -> TaskStatus.CANCELLED;
      case TaskEvent.Unroutable u -> st;
      case TaskEvent.QueueExpired x -> st;
    };
  }

  static Stream<Arguments> everyPair() {
    List<Arguments> out = new ArrayList<>();
    for (TaskState s : states()) {
      for (TaskEvent e : events(LIVE.token())) {
        out.add(Arguments.of(s, e));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} + {1}")
  @MethodSource("everyPair")
  void everyStateHandlesEveryEvent(TaskState state, TaskEvent event) {
    TaskTransition t = TaskMachine.next(state, event);
    assertThat(t.next().status()).isEqualTo(expected(state, event));
    if (state.status().isFinal()) {
      assertThat(t.isIgnored()).isTrue();
    }
    if (t.isIgnored()) {
      assertThat(t.next()).isEqualTo(state);
      assertThat(t.ended()).isEmpty();
    }
  }

  static Stream<Arguments> liveStatesWithStaleEvents() {
    List<Arguments> out = new ArrayList<>();
    for (TaskState s : states()) {
      if (s instanceof TaskState.Queued || s.status().isFinal()) {
        continue;
      }
      for (TaskEvent e : events(STALE)) {
        if (e instanceof TaskEvent.Accept
            || e instanceof TaskEvent.Start
            || e instanceof TaskEvent.Upload
            || e instanceof TaskEvent.Complete
            || e instanceof TaskEvent.Fail) {
          out.add(Arguments.of(s, e));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} ignores stale {1}")
  @MethodSource("liveStatesWithStaleEvents")
  void aStaleTokenIsIgnoredInEveryLiveState(TaskState state, TaskEvent event) {
    TaskTransition t = TaskMachine.next(state, event);
    assertThat(t.isIgnored()).isTrue();
    assertThat(t.ignored().get()).contains("stale token");
    assertThat(t.next()).isEqualTo(state);
  }

  /** A task counts as running only once the worker's accept reached the core (rule 5). */
  @Test
  void startUploadAndResultsBeforeTheAcceptAreIgnored() {
    Attempt a = new Attempt(1, 77, "w1");
    TaskState dispatched = new TaskState.Dispatched(a);
    for (TaskEvent e :
        List.<TaskEvent>of(
            new TaskEvent.Start(77),
            new TaskEvent.Upload(77),
            new TaskEvent.Complete(77, TaskStatus.PASSED, ""))) {
      TaskTransition t = TaskMachine.next(dispatched, e);
      assertThat(t.isIgnored()).as("%s", e).isTrue();
      assertThat(t.ignored().get()).contains("before the worker accepted");
    }
    TaskState loading = TaskMachine.next(dispatched, new TaskEvent.Accept(77)).next();
    assertThat(TaskMachine.next(loading, new TaskEvent.Start(77)).next())
        .isInstanceOf(TaskState.Running.class);
    assertThat(
            TaskMachine.next(dispatched, new TaskEvent.Fail(77, AttemptEnd.REJECTED, "busy", false))
                .ended())
        .isPresent();
  }

  @Test
  void failuresRequeueUntilTheThirdAttemptThenError() {
    TaskState s = new TaskState.Queued(0);
    for (int n = 1; n <= 3; n++) {
      Attempt a = new Attempt(n, 10 + n, "w" + n);
      s = TaskMachine.next(s, new TaskEvent.Dispatch(a)).next();
      s = TaskMachine.next(s, new TaskEvent.Accept(a.token())).next();
      TaskTransition t =
          TaskMachine.next(
              s, new TaskEvent.Fail(a.token(), AttemptEnd.ENGINE_ERROR, "boom", false));
      assertThat(t.ended())
          .get()
          .extracting(TaskTransition.EndedAttempt::end)
          .isEqualTo(AttemptEnd.ENGINE_ERROR);
      s = t.next();
    }
    assertThat(s).isInstanceOf(TaskState.Done.class);
    assertThat(s.status()).isEqualTo(TaskStatus.ERROR);
    assertThat(((TaskState.Done) s).reason()).contains("3 attempts").contains("boom");
  }

  @Test
  void aFailureThatIsNotRetryableEndsTheFirstAttemptAsErrorWithItsReason() {
    Attempt a = new Attempt(1, 21, "w1");
    TaskState s = TaskMachine.next(new TaskState.Queued(0), new TaskEvent.Dispatch(a)).next();
    s = TaskMachine.next(s, new TaskEvent.Accept(21)).next();
    TaskTransition t =
        TaskMachine.next(
            s,
            new TaskEvent.Fail(
                21, AttemptEnd.ENGINE_ERROR, "refused by the policy: image x", false, false));
    assertThat(t.next()).isInstanceOf(TaskState.Done.class);
    TaskState.Done done = (TaskState.Done) t.next();
    assertThat(done.status()).isEqualTo(TaskStatus.ERROR);
    assertThat(done.attemptsUsed()).isEqualTo(1);
    assertThat(done.reason())
        .isEqualTo("could not run, not retried: refused by the policy: image x");
    TaskTransition.EndedAttempt ended = t.ended().orElseThrow();
    assertThat(ended.end()).isEqualTo(AttemptEnd.ENGINE_ERROR);
    assertThat(ended.retryable()).isFalse();
    assertThat(t.abortWorker()).isFalse();
  }

  @Test
  void aRetryableFailureEndsItsAttemptAsRetryable() {
    TaskTransition t =
        TaskMachine.next(
            new TaskState.Running(LIVE),
            new TaskEvent.Fail(LIVE.token(), AttemptEnd.ENGINE_ERROR, "broken", false));
    assertThat(t.next()).isEqualTo(new TaskState.Queued(1));
    assertThat(t.ended().orElseThrow().retryable()).isTrue();
  }

  @Test
  void aFourthDispatchIsRefused() {
    TaskTransition t =
        TaskMachine.next(new TaskState.Queued(3), new TaskEvent.Dispatch(new Attempt(4, 1, "w")));
    assertThat(t.isIgnored()).isTrue();
  }

  @Test
  void cancellingALiveAttemptAbortsItsWorker() {
    TaskTransition t = TaskMachine.next(new TaskState.Running(LIVE), new TaskEvent.Cancel("stop"));
    assertThat(t.abortWorker()).isTrue();
    assertThat(t.ended())
        .get()
        .extracting(TaskTransition.EndedAttempt::end)
        .isEqualTo(AttemptEnd.CANCELLED);
  }

  @Test
  void aTestFailureIsFinalAndNotRetried() {
    TaskTransition t =
        TaskMachine.next(
            new TaskState.Running(LIVE),
            new TaskEvent.Complete(LIVE.token(), TaskStatus.FAILED, "failed: a"));
    assertThat(t.next().status()).isEqualTo(TaskStatus.FAILED);
    assertThat(t.next().status().isFinal()).isTrue();
  }
}
