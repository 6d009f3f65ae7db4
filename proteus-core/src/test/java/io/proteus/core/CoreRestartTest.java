package io.proteus.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.core.store.InMemoryJobStore;
import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.JobStatus;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.Adapter;
import io.proteus.spi.AdapterContext;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.DeliveryContext;
import io.proteus.spi.Reservation;
import io.proteus.spi.transport.AgentMessage;
import io.proteus.spi.transport.CoreMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A core that dies and a new one started on the same store: queued tasks stay queued, finished ones
 * never run again, a live attempt is kept when its agent still holds it and retried under a larger
 * token when not, and every finished job reaches its adapter once.
 */
class CoreRestartTest {
  final InMemoryJobStore shared = new InMemoryJobStore();
  final SeededRandomRunTest.HandClock clock = new SeededRandomRunTest.HandClock();
  final List<ProteusCore> cores = new ArrayList<>();
  final List<JobId> delivered = Collections.synchronizedList(new ArrayList<>());
  Life life;

  /** One core's life: its store view dies with it, as a crashed process writes nothing more. */
  final class Life {
    final SeededRandomRunTest.FlakyStore store = new SeededRandomRunTest.FlakyStore(shared);
    final TransportJoinTest.HandTransport transport = new TransportJoinTest.HandTransport();
    final SeededRandomRunTest.HandWorker local =
        new SeededRandomRunTest.HandWorker(WorkerDescriptor.of("local", "default", "linux"));
    final Recording adapter = new Recording();
    final ProteusCore core;

    Life(boolean withLocal) {
      ProteusCoreBuilder b =
          ProteusCore.builder()
              .clock(clock)
              .steppedLoop()
              .store(store)
              .blockingExecutor(Runnable::run)
              .heartbeatTimeout(Duration.ofSeconds(30))
              .transport(transport)
              .pollInterval(Duration.ofSeconds(1))
              .adapter(adapter);
      if (withLocal) {
        b.worker(local);
      }
      core = b.build().start();
      cores.add(core);
      core.loopControl().runUntilIdle();
    }

    void crash() {
      store.dead = true;
    }

    void say(String agent, AgentMessage m) {
      transport.context.received(agent, m);
      core.loopControl().runUntilIdle();
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

    List<Long> dispatched(String agent) {
      return transport.sent(agent, CoreMessage.Dispatch.class).stream()
          .map(CoreMessage.Dispatch::token)
          .toList();
    }

    void pass(String agent, long token) {
      say(agent, new AgentMessage.Accepted(token));
      say(agent, new AgentMessage.Completed(token, passed()));
    }

    JobResult job(JobId id) {
      return core.job(id).orElseThrow();
    }

    void advance(Duration d) {
      clock.now = clock.now.plus(d);
      core.loopControl().runUntilIdle();
    }
  }

  /** An adapter that records deliveries; builds are submitted directly. */
  final class Recording implements Adapter {
    volatile boolean refuse;
    final List<Build> toSubmit = new ArrayList<>();
    final List<JobId> submitted = new ArrayList<>();

    @Override
    public String name() {
      return "rec";
    }

    @Override
    public void poll(AdapterContext context) {
      for (Build b : toSubmit) {
        submitted.addAll(context.submit(b));
      }
      toSubmit.clear();
    }

    @Override
    public void deliver(DeliveryContext context) {
      if (refuse) {
        throw new IllegalStateException("the host is down");
      }
      delivered.add(context.result().id());
    }
  }

  @AfterEach
  void stopAll() {
    cores.forEach(c -> c.stop(Duration.ZERO));
  }

  static AttemptReport passed() {
    return new AttemptReport(0, List.of(), Optional.empty(), Duration.ZERO);
  }

  JobId submit(Life l, int tests) {
    List<TestSpec> specs = new ArrayList<>();
    for (int i = 0; i < tests; i++) {
      specs.add(TestSpec.of("t" + i, "bin", Optional.empty(), List.of()));
    }
    TestPlan plan = new TestPlan("p", "1", List.of("linux"), "default", Optional.empty(), specs);
    l.adapter.toSubmit.add(new Build("b", List.of(plan), BuildFiles.NONE, Reservation.NONE));
    l.advance(Duration.ofSeconds(1));
    return l.adapter.submitted.getLast();
  }

  Life restart(boolean withLocal) {
    life.crash();
    life = new Life(withLocal);
    return life;
  }

  @Test
  void queuedTasksStayQueuedAndFinishedOnesNeverRunAgain() {
    life = new Life(false);
    life.hello("a1", "s1");
    JobId job = submit(life, 3);
    long first = life.dispatched("a1").getFirst();
    life.pass("a1", first);
    life.core.loopControl().runUntilIdle();
    assertThat(life.job(job).tasks()).extracting(TaskResult::status).contains(TaskStatus.PASSED);

    Life next = restart(false);
    JobResult resumed = next.job(job);
    assertThat(resumed.tasks().get(0).status()).isEqualTo(TaskStatus.PASSED);
    next.hello("a1", "s2");
    for (int i = 0; i < 2; i++) {
      List<Long> sent = next.dispatched("a1");
      assertThat(sent).hasSize(i + 1);
      next.pass("a1", sent.getLast());
    }
    assertThat(next.job(job).status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(next.job(job).tasks())
        .extracting(TaskResult::status)
        .containsOnly(TaskStatus.PASSED);
    assertThat(next.job(job).tasks()).allSatisfy(t -> assertThat(t.attempts()).hasSize(1));
    assertThat(next.dispatched("a1")).doesNotContain(first).hasSize(2);
    assertThat(delivered).containsExactly(job);
  }

  @Test
  void anAttemptItsAgentStillHoldsIsKeptAndItsResultCounts() {
    life = new Life(false);
    life.hello("a1", "s1");
    JobId job = submit(life, 1);
    long token = life.dispatched("a1").getFirst();
    life.say("a1", new AgentMessage.Accepted(token));
    life.say("a1", new AgentMessage.Progressed(token, TaskStatus.RUNNING));
    life.core.loopControl().runUntilIdle();

    Life next = restart(false);
    assertThat(next.job(job).tasks().getFirst().status()).isEqualTo(TaskStatus.RUNNING);
    next.hello("a1", "s1", token);
    assertThat(next.dispatched("a1")).isEmpty();
    next.say("a1", new AgentMessage.Completed(token, passed()));
    TaskResult t = next.job(job).tasks().getFirst();
    assertThat(t.status()).isEqualTo(TaskStatus.PASSED);
    assertThat(t.attempts()).extracting(AttemptRecord::fencingToken).containsExactly(token);
    assertThat(next.transport.sent("a1", CoreMessage.ResultAck.class))
        .extracting(CoreMessage.ResultAck::token)
        .containsExactly(token);
    assertThat(delivered).containsExactly(job);
  }

  @Test
  void anAttemptItsAgentNoLongerHoldsRunsAgainUnderALargerTokenOnTheSameAgent() {
    life = new Life(false);
    life.hello("a1", "s1");
    JobId job = submit(life, 1);
    long token = life.dispatched("a1").getFirst();
    life.say("a1", new AgentMessage.Accepted(token));
    life.core.loopControl().runUntilIdle();

    Life next = restart(false);
    next.hello("a1", "s2");
    List<Long> sent = next.dispatched("a1");
    assertThat(sent).hasSize(1);
    assertThat(sent.getFirst()).isGreaterThan(token);
    next.pass("a1", sent.getFirst());
    TaskResult t = next.job(job).tasks().getFirst();
    assertThat(t.status()).isEqualTo(TaskStatus.PASSED);
    assertThat(t.attempts()).hasSize(2);
    assertThat(t.attempts().getFirst().end()).contains(AttemptEnd.HANDED_BACK);
    assertThat(t.attempts()).extracting(AttemptRecord::number).containsExactly(1, 1);
    assertThat(t.attempts().getFirst().reason().orElseThrow()).contains("the core restarted");
  }

  @Test
  void anAttemptAnEarlierCoreAbortedIsHandedBackWhenItsReleaseReachesTheNextCore() {
    life = new Life(false);
    life.hello("a1", "s1");
    JobId job = submit(life, 1);
    long token = life.dispatched("a1").getFirst();
    life.say("a1", new AgentMessage.Accepted(token));
    life.say("a1", new AgentMessage.Progressed(token, TaskStatus.RUNNING));

    Life next = restart(false);
    next.hello("a1", "s2", token);
    assertThat(next.dispatched("a1")).isEmpty();
    next.say("a1", new AgentMessage.Released(token, Optional.empty()));
    List<Long> sent = next.dispatched("a1");
    assertThat(sent).hasSize(1);
    assertThat(sent.getFirst()).isGreaterThan(token);
    next.pass("a1", sent.getFirst());
    TaskResult t = next.job(job).tasks().getFirst();
    assertThat(t.status()).isEqualTo(TaskStatus.PASSED);
    assertThat(t.attempts()).extracting(AttemptRecord::number).containsExactly(1, 1);
    assertThat(t.attempts().getFirst().end()).contains(AttemptEnd.HANDED_BACK);
    assertThat(t.attempts().getFirst().reason().orElseThrow()).contains("ended it unasked");
    assertThat(delivered).containsExactly(job);
  }

  @Test
  void aLocalWorkerGivenAgainTakesItsAttemptBackOrRunsItAgain() {
    life = new Life(true);
    JobId job = submit(life, 2);
    assertThat(life.local.sent).hasSize(1);
    long token = life.local.sent.getFirst().fencingToken();
    life.local.events.accepted(token);
    life.core.loopControl().runUntilIdle();
    life.core.loopControl().runUntilIdle();

    Life next = restart(true);
    assertThat(next.local.sent).hasSize(1);
    long retry = next.local.sent.getFirst().fencingToken();
    assertThat(retry).isGreaterThan(token);
    assertThat(next.job(job).tasks().getFirst().attempts()).hasSize(2);
  }

  @Test
  void anAgentThatNeverComesBackIsLostAfterTheHeartbeatTimeoutAndItsTaskRetried() {
    life = new Life(false);
    life.hello("a1", "s1");
    JobId job = submit(life, 1);
    long token = life.dispatched("a1").getFirst();
    life.say("a1", new AgentMessage.Accepted(token));
    life.core.loopControl().runUntilIdle();

    Life next = restart(false);
    next.hello("a2", "s1");
    assertThat(next.dispatched("a2")).isEmpty();
    for (int i = 0; i < 4; i++) {
      next.advance(Duration.ofSeconds(15));
      next.say("a2", new AgentMessage.Heartbeat());
    }
    List<Long> sent = next.dispatched("a2");
    assertThat(sent).hasSize(1);
    assertThat(sent.getFirst()).isGreaterThan(token);
    next.pass("a2", sent.getFirst());
    assertThat(next.job(job).status()).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  void aJobFinishedButNotDeliveredIsDeliveredByTheNextCoreOnce() {
    life = new Life(false);
    life.adapter.refuse = true;
    life.hello("a1", "s1");
    JobId job = submit(life, 1);
    life.pass("a1", life.dispatched("a1").getFirst());
    life.core.loopControl().runUntilIdle();
    assertThat(delivered).isEmpty();
    assertThat(shared.outbox()).containsExactly(job);

    Life next = restart(false);
    next.core.loopControl().runUntilIdle();
    assertThat(delivered).containsExactly(job);
    assertThat(shared.outbox()).isEmpty();
    assertThat(next.dispatched("a1")).isEmpty();
  }

  @Test
  void aStoredJobThatDoesNotMatchItsPlanIsLeftAloneAndTheCoreStarts() {
    life = new Life(false);
    JobId job = submit(life, 2);
    life.core.loopControl().runUntilIdle();
    JobResult stored = shared.find(job).orElseThrow();
    shared.save(
        new JobResult(
            stored.id(),
            stored.adapter(),
            stored.buildId(),
            stored.plan(),
            stored.platform(),
            stored.status(),
            stored.tasks().subList(0, 1),
            stored.submitted(),
            stored.finished()));

    Life next = restart(false);
    assertThat(next.core.state()).isEqualTo(ProteusCore.State.RUNNING);
    next.hello("a1", "s1");
    assertThat(next.dispatched("a1")).isEmpty();
    assertThat(shared.find(job).orElseThrow().tasks()).hasSize(1);
  }
}
