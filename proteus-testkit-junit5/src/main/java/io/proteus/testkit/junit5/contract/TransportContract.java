package io.proteus.testkit.junit5.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.core.ProteusCore;
import io.proteus.core.agent.Agent;
import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.ProteusEvent;
import io.proteus.spi.Reservation;
import io.proteus.spi.transport.AgentMessage;
import io.proteus.spi.transport.CoreMessage;
import io.proteus.spi.transport.FilesPublisher;
import io.proteus.spi.transport.FilesResolver;
import io.proteus.testkit.InMemoryFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every transport must carry so that the core's and the agents' agreements hold across it: a
 * plan runs to completion across agents; an accept carries the attempt's fencing token; an end is
 * acknowledged and not sent again after the ack; an end made while the core is away arrives once
 * after it is back; a stale or duplicate reply changes no task; a vanished agent's attempt is
 * retried elsewhere; and an agent that comes back keeps its live attempt and has its stale one
 * aborted. Extend it with {@link #newFixture()}; each test runs a real core and real agents (on a
 * contract engine that runs nothing) over a fresh fixture.
 */
public abstract class TransportContract {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  /** Makes the transport under test, fresh for one test. */
  protected abstract TransportFixture newFixture() throws Exception;

  /**
   * How the core publishes build files for agents. Default: by reference in this JVM; override it,
   * with {@link #filesResolver()}, to run the contract over a real artifact server.
   */
  protected FilesPublisher filesPublisher() {
    return files;
  }

  /** How agents fetch what {@link #filesPublisher()} published. Default: by reference. */
  protected FilesResolver filesResolver() {
    return files;
  }

  @TempDir Path tmp;
  private TransportFixture fixture;
  private ProteusCore core;
  private final InMemoryFiles files = new InMemoryFiles();
  private final GateEngine engine = new GateEngine();
  private final List<Agent> agents = new ArrayList<>();
  private final Map<String, RecordingLink> links = new ConcurrentHashMap<>();
  private final List<ProteusEvent> events = new CopyOnWriteArrayList<>();
  private BuildFiles build;
  private int builds;

  @BeforeEach
  void startCore() throws Exception {
    fixture = newFixture();
    Path dir = Files.createDirectories(tmp.resolve("build"));
    Files.writeString(dir.resolve("bin"), "unused");
    build = BuildFiles.ofFolder(dir);
    core =
        ProteusCore.builder()
            .transport(fixture.coreTransport())
            .filesPublisher(filesPublisher())
            .listener(events::add)
            .heartbeatTimeout(Duration.ofSeconds(10))
            .leaseGrace(Duration.ofSeconds(10))
            .abortGrace(Duration.ofSeconds(2))
            .storage(Files.createDirectories(tmp.resolve("storage")), 1L << 30)
            .build()
            .start();
  }

  @AfterEach
  void stopAll() throws Exception {
    agents.forEach(Agent::stop);
    core.stop(Duration.ZERO);
    fixture.close();
  }

  /** Starts an agent of {@code id} on the contract's engine, linked through the fixture. */
  private Agent agent(String id) {
    Agent a =
        Agent.builder(id, engine.platform("linux"))
            .workRoot(tmp.resolve("agents").resolve(id))
            .files(filesResolver())
            .heartbeatInterval(Duration.ofMillis(200))
            .resendInterval(Duration.ofMillis(300))
            .build();
    RecordingLink link = new RecordingLink(fixture.agentLink(id));
    links.put(id, link);
    a.start(link);
    agents.add(a);
    awaitWorker(id);
    return a;
  }

  private void awaitWorker(String id) {
    await()
        .atMost(LIMIT)
        .until(() ->
            core.workers().stream()
                .anyMatch(w ->
                    w.descriptor().id().equals(id)
                        && w.state() != io.proteus.model.WorkerState.OFFLINE
                        && w.state() != io.proteus.model.WorkerState.BOOTING));
  }

  private JobId submit(String... tests) {
    List<TestSpec> specs = new ArrayList<>();
    for (String t : tests) {
      specs.add(TestSpec.of(t, "bin", Optional.empty(), List.of()));
    }
    TestPlan plan = new TestPlan("p", "1", List.of("linux"), "default", Optional.empty(), specs);
    return core.submit(new Build("b" + ++builds, List.of(plan), build, Reservation.NONE))
        .getFirst();
  }

  private JobResult awaitDone(JobId job) {
    await().atMost(LIMIT).until(() -> core.job(job).orElseThrow().status().isFinal());
    return core.job(job).orElseThrow();
  }

  private TaskResult task(JobId job) {
    return core.job(job).orElseThrow().tasks().getFirst();
  }

  private void awaitStatus(JobId job, TaskStatus status) {
    await().atMost(LIMIT).until(() -> task(job).status() == status);
  }

  private long liveToken(JobId job) {
    return task(job).attempts().getLast().fencingToken();
  }

  private long passedTransitions(JobId job) {
    return events.stream()
        .filter(e -> e instanceof ProteusEvent.TaskChanged c && c.task().job().equals(job))
        .map(ProteusEvent.TaskChanged.class::cast)
        .filter(c -> c.to() == TaskStatus.PASSED)
        .count();
  }

  @Test
  void aPlanRunsToCompletionAcrossAgents() {
    agent("a1");
    agent("a2");
    JobId job = submit("t1", "t2", "t3", "t4", "t5", "t6");
    JobResult done = awaitDone(job);
    assertThat(done.tasks()).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.PASSED));
    assertThat(done.tasks())
        .flatExtracting(TaskResult::attempts)
        .extracting(AttemptRecord::workerId)
        .containsOnly("a1", "a2")
        .contains("a1", "a2");
  }

  @Test
  void anAcceptCarriesTheAttemptsFencingToken() {
    agent("a1");
    JobId job = submit("t");
    awaitDone(job);
    long token = task(job).attempts().getFirst().fencingToken();
    RecordingLink link = links.get("a1");
    assertThat(link.received(CoreMessage.Dispatch.class))
        .extracting(CoreMessage.Dispatch::token)
        .containsExactly(token);
    List<Long> about =
        link.seen().stream()
            .filter(s -> s.sent())
            .map(s -> tokenOf(s.message()))
            .flatMap(Optional::stream)
            .toList();
    assertThat(about).first().isEqualTo(token);
    assertThat(link.sent(AgentMessage.Accepted.class))
        .extracting(AgentMessage.Accepted::token)
        .containsExactly(token);
  }

  private static Optional<Long> tokenOf(Object message) {
    return switch (message) {
      case AgentMessage.Accepted a -> Optional.of(a.token());
      case AgentMessage.Progressed p -> Optional.of(p.token());
      case AgentMessage m -> AgentMessage.endToken(m);
      default -> Optional.empty();
    };
  }

  @Test
  void anEndIsAcknowledgedAndNotSentAgainAfterTheAck() {
    Agent a1 = agent("a1");
    JobId job = submit("t");
    awaitDone(job);
    long token = liveToken(job);
    RecordingLink link = links.get("a1");
    await().atMost(LIMIT).until(() -> a1.unacknowledged().isEmpty());
    assertThat(link.received(CoreMessage.ResultAck.class))
        .extracting(CoreMessage.ResultAck::token)
        .contains(token);
    int ackedAt = indexOfAck(link, token);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(LIMIT)
        .until(() -> endsSentAfter(link, token, ackedAt) == 0);
  }

  private static int indexOfAck(RecordingLink link, long token) {
    List<RecordingLink.Seen> seen = link.seen();
    for (int i = 0; i < seen.size(); i++) {
      if (!seen.get(i).sent()
          && seen.get(i).message() instanceof CoreMessage.ResultAck r
          && r.token() == token) {
        return i;
      }
    }
    throw new AssertionError("no ack for " + token);
  }

  private static long endsSentAfter(RecordingLink link, long token, int index) {
    List<RecordingLink.Seen> seen = link.seen();
    return seen.subList(index, seen.size()).stream()
        .filter(s ->
            s.sent()
                && s.message() instanceof AgentMessage m
                && AgentMessage.endToken(m).equals(Optional.of(token)))
        .count();
  }

  @Test
  void anEndMadeWhileTheCoreIsAwayArrivesOnceAfterItIsBack() {
    Agent a1 = agent("a1");
    JobId job = submit("gate-away");
    awaitStatus(job, TaskStatus.RUNNING);
    long token = liveToken(job);
    fixture.coreOutage();
    engine.open("gate-away");
    await().atMost(LIMIT).until(() -> a1.unacknowledged().contains(token));
    assertThat(task(job).status()).isEqualTo(TaskStatus.RUNNING);
    fixture.coreRestored();
    JobResult done = awaitDone(job);
    assertThat(done.tasks().getFirst().status()).isEqualTo(TaskStatus.PASSED);
    assertThat(done.tasks().getFirst().attempts()).hasSize(1);
    await().atMost(LIMIT).until(() -> a1.unacknowledged().isEmpty());
    assertThat(passedTransitions(job)).isEqualTo(1);
  }

  @Test
  void aStaleReplyNeverChangesATask() {
    RawAgent raw = new RawAgent("raw", fixture.agentLink("raw"));
    awaitWorker("raw");
    JobId job = submit("t");
    long token = raw.awaitDispatch(LIMIT).token();
    raw.send(new AgentMessage.Accepted(token));
    awaitStatus(job, TaskStatus.LOADING);
    raw.send(new AgentMessage.Completed(token - 1, report(1)));
    raw.send(new AgentMessage.Completed(token + 1_000_000, report(1)));
    raw.awaitAck(token - 1, LIMIT);
    raw.awaitAck(token + 1_000_000, LIMIT);
    assertThat(task(job).status()).isEqualTo(TaskStatus.LOADING);
    raw.send(new AgentMessage.Completed(token, report(0)));
    JobResult done = awaitDone(job);
    assertThat(done.tasks().getFirst().status()).isEqualTo(TaskStatus.PASSED);
    assertThat(done.tasks().getFirst().exitCode()).contains(0);
    raw.close();
  }

  @Test
  void aDuplicateEndIsTakenOnce() {
    RawAgent raw = new RawAgent("raw", fixture.agentLink("raw"));
    awaitWorker("raw");
    JobId job = submit("t");
    long token = raw.awaitDispatch(LIMIT).token();
    raw.send(new AgentMessage.Accepted(token));
    raw.send(new AgentMessage.Completed(token, report(0)));
    raw.send(new AgentMessage.Completed(token, report(1)));
    JobResult done = awaitDone(job);
    raw.awaitAcks(token, 2, LIMIT);
    assertThat(done.tasks().getFirst().status()).isEqualTo(TaskStatus.PASSED);
    assertThat(core.job(job).orElseThrow().tasks().getFirst().exitCode()).contains(0);
    assertThat(passedTransitions(job)).isEqualTo(1);
    raw.close();
  }

  private static AttemptReport report(int exitCode) {
    return new AttemptReport(exitCode, List.of(), Optional.empty(), Duration.ZERO);
  }

  @Test
  void aVanishedAgentsAttemptIsRetriedElsewhere() {
    agent("a1");
    JobId job = submit("gate-vanish");
    awaitStatus(job, TaskStatus.RUNNING);
    agent("a2");
    fixture.crash("a1");
    await().atMost(LIMIT).until(() -> task(job).attempts().size() == 2);
    engine.open("gate-vanish");
    JobResult done = awaitDone(job);
    TaskResult t = done.tasks().getFirst();
    assertThat(t.status()).isEqualTo(TaskStatus.PASSED);
    assertThat(t.attempts()).extracting(AttemptRecord::workerId).containsExactly("a1", "a2");
    assertThat(t.attempts().getFirst().end()).contains(AttemptEnd.WORKER_LOST);
  }

  @Test
  void anAgentThatComesBackKeepsItsLiveAttempt() {
    agent("a1");
    JobId job = submit("gate-keep");
    awaitStatus(job, TaskStatus.RUNNING);
    long token = liveToken(job);
    RecordingLink link = links.get("a1");
    fixture.cut("a1");
    fixture.restore("a1");
    await().atMost(LIMIT).until(() -> link.sent(AgentMessage.Hello.class).size() == 2);
    assertThat(link.sent(AgentMessage.Hello.class).getLast().held()).contains(token);
    engine.open("gate-keep");
    JobResult done = awaitDone(job);
    assertThat(done.tasks().getFirst().status()).isEqualTo(TaskStatus.PASSED);
    assertThat(done.tasks().getFirst().attempts()).hasSize(1);
    assertThat(link.received(CoreMessage.Abort.class)).isEmpty();
  }

  @Test
  void anAgentThatComesBackHasItsStaleAttemptAborted() {
    agent("a1");
    JobId job = submit("gate-stale");
    awaitStatus(job, TaskStatus.RUNNING);
    long stale = liveToken(job);
    agent("a2");
    fixture.crash("a1");
    await().atMost(LIMIT).until(() -> task(job).attempts().size() == 2);
    fixture.restore("a1");
    RecordingLink link = links.get("a1");
    await()
        .atMost(LIMIT)
        .until(() ->
            link.received(CoreMessage.Abort.class).stream().anyMatch(a -> a.token() == stale));
    await().atMost(LIMIT).until(() -> engine.aborted.contains("gate-stale"));
    await()
        .atMost(LIMIT)
        .until(() ->
            link.sent(AgentMessage.Released.class).stream().anyMatch(r -> r.token() == stale));
    engine.open("gate-stale");
    JobResult done = awaitDone(job);
    TaskResult t = done.tasks().getFirst();
    assertThat(t.status()).isEqualTo(TaskStatus.PASSED);
    assertThat(t.attempts()).extracting(AttemptRecord::workerId).containsExactly("a1", "a2");
  }

  /** An agent the test speaks for, message by message, over the fixture's link. */
  private static final class RawAgent {
    private final RecordingLink link;

    RawAgent(String id, io.proteus.spi.transport.AgentLink inner) {
      this.link = new RecordingLink(inner);
      WorkerDescriptor d = WorkerDescriptor.of(id, "default", "linux");
      link.onConnected(() ->
          link.send(
              new AgentMessage.Hello(
                  d,
                  java.util.UUID.randomUUID().toString(),
                  Set.of(),
                  AgentMessage.Hello.PROTOCOL_VERSION)));
      link.connect(
          new io.proteus.spi.transport.AgentLinkContext() {
            @Override
            public String agentId() {
              return id;
            }

            @Override
            public void connected() {}

            @Override
            public void received(CoreMessage message) {}

            @Override
            public void disconnected(String reason) {}
          });
    }

    void send(AgentMessage m) {
      link.send(m);
    }

    CoreMessage.Dispatch awaitDispatch(Duration limit) {
      await().atMost(limit).until(() -> !link.received(CoreMessage.Dispatch.class).isEmpty());
      return link.received(CoreMessage.Dispatch.class).getFirst();
    }

    void awaitAck(long token, Duration limit) {
      awaitAcks(token, 1, limit);
    }

    void awaitAcks(long token, int count, Duration limit) {
      await()
          .atMost(limit)
          .until(() ->
              link.received(CoreMessage.ResultAck.class).stream()
                      .filter(a -> a.token() == token)
                      .count()
                  >= count);
    }

    void close() {
      link.close();
    }
  }
}
