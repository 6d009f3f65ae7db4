package io.proteus.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.AttemptEnd;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerDescriptor;
import io.proteus.model.WorkerState;
import io.proteus.model.WorkerStatus;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.Reservation;
import io.proteus.spi.transport.AgentMessage;
import io.proteus.spi.transport.CoreMessage;
import io.proteus.spi.transport.CoreTransport;
import io.proteus.spi.transport.CoreTransportContext;
import io.proteus.spi.transport.FilesPublisher;
import io.proteus.spi.transport.FilesRef;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The core's side of the transport agreements, step by step on a stepped loop: agents join and join
 * again, what they hold is matched against the core's attempts, ends are acknowledged only once
 * stored, and agents the core does not know are asked to join.
 */
class TransportJoinTest {
  final SeededRandomRunTest.HandClock clock = new SeededRandomRunTest.HandClock();
  final SeededRandomRunTest.FlakyStore store = new SeededRandomRunTest.FlakyStore();
  final HandTransport transport = new HandTransport();
  final List<FilesPublisher.Request> published = new ArrayList<>();
  final SeededRandomRunTest.HandWorker given =
      new SeededRandomRunTest.HandWorker(WorkerDescriptor.of("given", "default", "other"));
  final ProteusCore core =
      ProteusCore.builder()
          .clock(clock)
          .steppedLoop()
          .store(store)
          .blockingExecutor(Runnable::run)
          .heartbeatTimeout(Duration.ofSeconds(30))
          .transport(transport)
          .worker(given)
          .filesPublisher(r -> {
            published.add(r);
            return FilesRef.at(URI.create("test:/" + r.job()));
          })
          .build()
          .start();
  final LoopControl loop = core.loopControl();
  int builds;

  /** A transport the test speaks for: it records what the core sends to each agent. */
  static final class HandTransport implements CoreTransport {
    CoreTransportContext context;
    final List<String> to = new ArrayList<>();
    final List<CoreMessage> sent = new ArrayList<>();

    @Override
    public void start(CoreTransportContext c) {
      this.context = c;
    }

    @Override
    public synchronized void send(String agentId, CoreMessage message) {
      to.add(agentId);
      sent.add(message);
    }

    @Override
    public void stop() {}

    synchronized <T> List<T> sent(String agentId, Class<T> type) {
      List<T> out = new ArrayList<>();
      for (int i = 0; i < sent.size(); i++) {
        if (to.get(i).equals(agentId) && type.isInstance(sent.get(i))) {
          out.add(type.cast(sent.get(i)));
        }
      }
      return out;
    }
  }

  @AfterEach
  void stop() {
    core.stop(Duration.ZERO);
  }

  void say(String agent, AgentMessage m) {
    transport.context.received(agent, m);
    loop.runUntilIdle();
  }

  void hello(String agent, String session, Long... held) {
    say(
        agent,
        new AgentMessage.Hello(
            WorkerDescriptor.of(agent, "default", "linux"),
            session,
            Set.of(held),
            AgentMessage.Hello.PROTOCOL_VERSION));
  }

  void advance(Duration d) {
    clock.now = clock.now.plus(d);
    loop.runUntilIdle();
  }

  JobId submit() {
    TestPlan plan =
        new TestPlan(
            "p",
            "1",
            List.of("linux"),
            "default",
            Optional.empty(),
            List.of(TestSpec.of("t", "bin", Optional.empty(), List.of())));
    JobId id =
        core.submit(new Build("b" + ++builds, List.of(plan), BuildFiles.NONE, Reservation.NONE))
            .getFirst();
    loop.runUntilIdle();
    return id;
  }

  TaskResult task(JobId job) {
    return core.job(job).orElseThrow().tasks().getFirst();
  }

  WorkerState state(String id) {
    return core.workers().stream()
        .filter(w -> w.descriptor().id().equals(id))
        .map(WorkerStatus::state)
        .findFirst()
        .orElseThrow();
  }

  long dispatched(String agent) {
    return transport.sent(agent, CoreMessage.Dispatch.class).getLast().token();
  }

  static AttemptReport passed() {
    return new AttemptReport(0, List.of(), Optional.empty(), Duration.ZERO);
  }

  @Test
  void anAgentThatSaysHelloJoinsAndIsSentItsAttemptsWithTheirFiles() {
    hello("a1", "s1");
    assertThat(state("a1")).isEqualTo(WorkerState.IDLE);
    JobId job = submit();
    CoreMessage.Dispatch d = transport.sent("a1", CoreMessage.Dispatch.class).getFirst();
    assertThat(d.token()).isEqualTo(task(job).attempts().getFirst().fencingToken());
    assertThat(d.files().location()).isEqualTo(URI.create("test:/" + job));
    assertThat(published).extracting(FilesPublisher.Request::job).containsExactly(job);
    say("a1", new AgentMessage.Accepted(d.token()));
    say("a1", new AgentMessage.Completed(d.token(), passed()));
    assertThat(task(job).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(transport.sent("a1", CoreMessage.ResultAck.class))
        .extracting(CoreMessage.ResultAck::token)
        .containsExactly(d.token());
  }

  @Test
  void anEndIsAcknowledgedOnlyOnceTheStoreHoldsIt() {
    hello("a1", "s1");
    JobId job = submit();
    long token = dispatched("a1");
    store.down = true;
    say("a1", new AgentMessage.Accepted(token));
    say("a1", new AgentMessage.Completed(token, passed()));
    assertThat(task(job).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(transport.sent("a1", CoreMessage.ResultAck.class)).isEmpty();
    store.down = false;
    advance(Duration.ofSeconds(2));
    assertThat(transport.sent("a1", CoreMessage.ResultAck.class)).hasSize(1);
  }

  @Test
  void aStaleOrDuplicateEndIsAcknowledgedAndChangesNothing() {
    hello("a1", "s1");
    JobId job = submit();
    long token = dispatched("a1");
    say("a1", new AgentMessage.Completed(token + 7, passed()));
    assertThat(transport.sent("a1", CoreMessage.ResultAck.class)).hasSize(1);
    assertThat(task(job).status()).isEqualTo(TaskStatus.DISPATCHED);
    say("a1", new AgentMessage.Completed(token, passed()));
    say("a1", new AgentMessage.Completed(token, passed()));
    assertThat(task(job).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(transport.sent("a1", CoreMessage.ResultAck.class)).hasSize(3);
  }

  @Test
  void aResultWhoseAcceptWasLostCountsAsAccepted() {
    hello("a1", "s1");
    JobId job = submit();
    long token = dispatched("a1");
    say("a1", new AgentMessage.Progressed(token, TaskStatus.RUNNING));
    assertThat(task(job).status()).isEqualTo(TaskStatus.RUNNING);
  }

  @Test
  void anAgentWithTheIdOfAWorkerGivenToTheCoreIsRefused() {
    say(
        "given",
        new AgentMessage.Hello(
            WorkerDescriptor.of("given", "default", "linux"),
            "s1",
            Set.of(),
            AgentMessage.Hello.PROTOCOL_VERSION));
    assertThat(core.workers())
        .filteredOn(w -> w.descriptor().id().equals("given"))
        .singleElement()
        .satisfies(w -> assertThat(w.descriptor().platform()).isEqualTo("other"));
  }

  @Test
  void aHelloThatNamesAnotherAgentOrAnotherProtocolIsIgnored() {
    hello("a1", "s1");
    say(
        "a2",
        new AgentMessage.Hello(WorkerDescriptor.of("a1", "default", "linux"), "s2", Set.of(), 1));
    say(
        "a3",
        new AgentMessage.Hello(WorkerDescriptor.of("a3", "default", "linux"), "s3", Set.of(), 99));
    assertThat(core.workers())
        .extracting(w -> w.descriptor().id())
        .containsExactlyInAnyOrder("given", "a1");
  }

  @Test
  void aLiveAttemptTheAgentHoldsIsKeptAndCountsAsAccepted() {
    hello("a1", "s1");
    JobId job = submit();
    long token = dispatched("a1");
    hello("a1", "s2", token);
    assertThat(task(job).status()).isEqualTo(TaskStatus.LOADING);
    assertThat(transport.sent("a1", CoreMessage.Abort.class)).isEmpty();
    say("a1", new AgentMessage.Completed(token, passed()));
    assertThat(task(job).status()).isEqualTo(TaskStatus.PASSED);
    assertThat(task(job).attempts()).hasSize(1);
  }

  @Test
  void aDispatchThatMayNeverHaveArrivedIsSentAgainOnTheNewSession() {
    hello("a1", "s1");
    JobId job = submit();
    long token = dispatched("a1");
    hello("a1", "s2");
    assertThat(transport.sent("a1", CoreMessage.Dispatch.class))
        .extracting(CoreMessage.Dispatch::token)
        .containsExactly(token, token);
    assertThat(task(job).attempts()).hasSize(1);
  }

  @Test
  void anAcceptedAttemptTheAgentNoLongerHoldsIsRetriedAndWhatItHoldsIsAborted() {
    hello("a1", "s1");
    JobId job = submit();
    long token = dispatched("a1");
    say("a1", new AgentMessage.Accepted(token));
    hello("a1", "s2", 12345L);
    assertThat(task(job).attempts().getFirst().end()).contains(AttemptEnd.WORKER_LOST);
    assertThat(transport.sent("a1", CoreMessage.Abort.class))
        .extracting(CoreMessage.Abort::token)
        .containsExactly(12345L);
    assertThat(task(job).attempts()).hasSize(2);
    assertThat(dispatched("a1")).isEqualTo(task(job).attempts().getLast().fencingToken());
  }

  @Test
  void aRepeatedHelloOfOneSessionChangesNothing() {
    hello("a1", "s1");
    JobId job = submit();
    say("a1", new AgentMessage.Accepted(dispatched("a1")));
    hello("a1", "s1");
    assertThat(task(job).status()).isEqualTo(TaskStatus.LOADING);
    assertThat(task(job).attempts()).hasSize(1);
  }

  @Test
  void aLateHelloOfAnOldSessionChangesNothing() {
    hello("a1", "s1");
    hello("a1", "s2");
    JobId job = submit();
    long token = dispatched("a1");
    say("a1", new AgentMessage.Accepted(token));
    hello("a1", "s1");
    assertThat(task(job).status()).isEqualTo(TaskStatus.LOADING);
    assertThat(task(job).attempts()).hasSize(1);
    assertThat(task(job).attempts().getFirst().end()).isEmpty();
    assertThat(transport.sent("a1", CoreMessage.Abort.class)).isEmpty();
  }

  @Test
  void aDrainedAgentStaysOutOfWorkWhenItSaysHelloAgain() {
    hello("a1", "s1");
    core.drain("a1");
    loop.runUntilIdle();
    hello("a1", "s2");
    assertThat(state("a1")).isEqualTo(WorkerState.OFFLINE);
    submit();
    assertThat(transport.sent("a1", CoreMessage.Dispatch.class)).isEmpty();
  }

  @Test
  void theLossOfAnOldSessionIsIgnored() {
    hello("a1", "s1");
    hello("a1", "s2");
    transport.context.lost("a1", "s1", "late will");
    loop.runUntilIdle();
    assertThat(state("a1")).isEqualTo(WorkerState.IDLE);
    transport.context.lost("a1", "s2", "will");
    loop.runUntilIdle();
    assertThat(state("a1")).isEqualTo(WorkerState.OFFLINE);
  }

  @Test
  void anAgentTheCoreDoesNotKnowOrTookForLostIsAskedToJoinAtMostEveryFewSeconds() {
    say("x", new AgentMessage.Heartbeat());
    say("x", new AgentMessage.Heartbeat());
    assertThat(transport.sent("x", CoreMessage.Rejoin.class)).hasSize(1);
    advance(Duration.ofSeconds(6));
    say("x", new AgentMessage.Heartbeat());
    assertThat(transport.sent("x", CoreMessage.Rejoin.class)).hasSize(2);

    hello("a1", "s1");
    advance(Duration.ofSeconds(31));
    advance(Duration.ofSeconds(31));
    assertThat(state("a1")).isEqualTo(WorkerState.OFFLINE);
    say("a1", new AgentMessage.Heartbeat());
    assertThat(transport.sent("a1", CoreMessage.Rejoin.class)).hasSize(1);
    hello("a1", "s2");
    assertThat(state("a1")).isEqualTo(WorkerState.IDLE);
  }

  @Test
  void aByeTakesTheAgentOfflineAndItsAttemptIsRetried() {
    hello("a1", "s1");
    JobId job = submit();
    say("a1", new AgentMessage.Accepted(dispatched("a1")));
    say("a1", new AgentMessage.Bye("host shutdown"));
    assertThat(state("a1")).isEqualTo(WorkerState.OFFLINE);
    assertThat(task(job).attempts().getFirst().end()).contains(AttemptEnd.WORKER_LOST);
    assertThat(task(job).status()).isEqualTo(TaskStatus.QUEUED);
  }
}
