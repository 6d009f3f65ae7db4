package io.proteus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.core.ProteusCore;
import io.proteus.core.agent.Agent;
import io.proteus.model.AttemptRecord;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TaskId;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.ProteusEvent;
import io.proteus.spi.Reservation;
import io.proteus.spi.transport.AgentLinkContext;
import io.proteus.spi.transport.AgentMessage;
import io.proteus.spi.transport.CoreMessage;
import io.proteus.spi.transport.CoreTransportContext;
import io.proteus.spi.transport.FilesRef;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The in-memory transport: what crosses it is a copy, links go down and up on command, and under
 * seeded duplicates, delays, reordering and drops every task of a plan still ends exactly once.
 */
class InMemoryTransportTest {
  @TempDir Path tmp;

  @Test
  void whatCrossesIsACopyOfWhatWasSent() {
    try (InMemoryTransport wire = InMemoryTransport.create()) {
      List<AgentMessage> atCore = new CopyOnWriteArrayList<>();
      List<CoreMessage> atAgent = new CopyOnWriteArrayList<>();
      wire.core().start(coreContext(atCore));
      var link = wire.link("a1");
      link.connect(agentContext("a1", atAgent));
      AgentMessage.Hello hello =
          new AgentMessage.Hello(
              WorkerDescriptor.of("a1", "default", "linux"), "s1", Set.of(4L), 1);
      link.send(hello);
      Map<String, Object> nested = new HashMap<>(Map.of("k", "v"));
      TestSpec spec = TestSpec.builder("t", "bin").metadata(Map.of("nested", nested)).build();
      CoreMessage.Dispatch dispatch =
          new CoreMessage.Dispatch(
              4,
              new TaskId(new JobId("j"), 0),
              1,
              spec,
              "linux",
              Duration.ofMinutes(1),
              FilesRef.at(URI.create("memory:/x")));
      wire.core().send("a1", dispatch);
      await().atMost(Duration.ofSeconds(10)).until(() -> !atCore.isEmpty() && !atAgent.isEmpty());
      assertThat(atCore.getFirst()).isEqualTo(hello).isNotSameAs(hello);
      CoreMessage.Dispatch got = (CoreMessage.Dispatch) atAgent.getFirst();
      assertThat(got).isEqualTo(dispatch).isNotSameAs(dispatch);
      assertThat(got.test().metadata().get("nested")).isEqualTo(nested).isNotSameAs(nested);
    }
  }

  @Test
  void aCutLinkCarriesNothingUntilRestoredAndACrashTellsTheCore() {
    try (InMemoryTransport wire = InMemoryTransport.create()) {
      List<AgentMessage> atCore = new CopyOnWriteArrayList<>();
      List<String> lost = new CopyOnWriteArrayList<>();
      List<String> sessions = new CopyOnWriteArrayList<>();
      wire.core().start(coreContext(atCore, lost));
      var link = wire.link("a1");
      link.connect(
          new AgentLinkContext() {
            @Override
            public String agentId() {
              return "a1";
            }

            @Override
            public void connected() {
              sessions.add("up");
            }

            @Override
            public void received(CoreMessage message) {}

            @Override
            public void disconnected(String reason) {
              sessions.add("down " + reason);
            }
          });
      await().atMost(Duration.ofSeconds(10)).until(() -> sessions.equals(List.of("up")));
      wire.cut("a1");
      link.send(new AgentMessage.Heartbeat());
      wire.restore("a1");
      link.send(new AgentMessage.Bye("after"));
      await().atMost(Duration.ofSeconds(10)).until(() -> atCore.size() == 1);
      assertThat(atCore).containsExactly(new AgentMessage.Bye("after"));
      wire.crash("a1");
      await().atMost(Duration.ofSeconds(10)).until(() -> lost.size() == 1);
      assertThat(sessions).containsExactly("up", "down cut", "up", "down crashed");
    }
  }

  private static CoreTransportContext coreContext(List<AgentMessage> into) {
    return coreContext(into, new ArrayList<>());
  }

  private static CoreTransportContext coreContext(List<AgentMessage> into, List<String> lost) {
    return new CoreTransportContext() {
      @Override
      public void received(String agentId, AgentMessage message) {
        into.add(message);
      }

      @Override
      public void lost(String agentId, String reason) {
        lost.add(agentId);
      }

      @Override
      public void lost(String agentId, String session, String reason) {
        lost.add(agentId);
      }

      @Override
      public Clock clock() {
        return Clock.systemUTC();
      }
    };
  }

  private static AgentLinkContext agentContext(String id, List<CoreMessage> into) {
    return new AgentLinkContext() {
      @Override
      public String agentId() {
        return id;
      }

      @Override
      public void connected() {}

      @Override
      public void received(CoreMessage message) {
        into.add(message);
      }

      @Override
      public void disconnected(String reason) {}
    };
  }

  @ParameterizedTest
  @ValueSource(longs = {20261203L, 5L, 99L})
  void duplicatedDelayedAndReorderedMessagesChangeNoOutcome(long seed) throws Exception {
    JobResult job = run(WireFault.seeded(seed, 0, 0.15, 0.3, Duration.ofMillis(40)));
    assertThat(job.tasks())
        .allSatisfy(t -> {
          assertThat(t.status()).as(t.testName()).isEqualTo(TaskStatus.PASSED);
          assertThat(t.attempts()).as(t.testName()).hasSize(1);
        });
  }

  @ParameterizedTest
  @ValueSource(longs = {77L, 1L, 2026L})
  void droppedMessagesStillLetEveryTaskEndOnce(long seed) throws Exception {
    JobResult job = run(WireFault.seeded(seed, 0.05, 0.05, 0.2, Duration.ofMillis(40)));
    assertThat(job.tasks())
        .allSatisfy(t -> {
          assertThat(t.status()).as(t.testName()).isIn(TaskStatus.PASSED, TaskStatus.ERROR);
          assertThat(t.attempts()).as(t.testName()).hasSizeBetween(1, 3);
        });
    assertThat(job.tasks()).filteredOn(t -> t.status() == TaskStatus.PASSED).isNotEmpty();
  }

  /** A plan of 20 tests on three agents over a wire with these faults; the job as it ended. */
  private JobResult run(WireFault fault) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("build"));
    Files.writeString(dir.resolve("bin"), "unused");
    List<ProteusEvent> events = new CopyOnWriteArrayList<>();
    List<Agent> agents = new ArrayList<>();
    try (InMemoryTransport wire = InMemoryTransport.create().faults(fault)) {
      ProteusCore core =
          ProteusCore.builder()
              .transport(wire.core())
              .filesPublisher(wire.files())
              .listener(events::add)
              .defaultTimeout(Duration.ofSeconds(2))
              .leaseGrace(Duration.ofSeconds(1))
              .heartbeatTimeout(Duration.ofSeconds(5))
              .storage(Files.createDirectories(tmp.resolve("storage")), 1L << 30)
              .build()
              .start();
      try {
        FakeEngine engine = new FakeEngine();
        for (String id : List.of("a1", "a2", "a3")) {
          Agent a =
              Agent.builder(id, engine.platform("linux"))
                  .workRoot(tmp.resolve(id))
                  .files(wire.files())
                  .heartbeatInterval(Duration.ofMillis(100))
                  .resendInterval(Duration.ofMillis(200))
                  .build();
          a.start(wire.link(id));
          agents.add(a);
        }
        List<TestSpec> tests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          tests.add(TestSpec.of("t" + i, "bin", Optional.empty(), List.of()));
        }
        TestPlan plan =
            new TestPlan("p", "1", List.of("linux"), "default", Optional.empty(), tests);
        JobId id =
            core.submit(new Build("b", List.of(plan), BuildFiles.ofFolder(dir), Reservation.NONE))
                .getFirst();
        JobResult done = core.completion(id).get(90, java.util.concurrent.TimeUnit.SECONDS);
        Map<TaskId, Long> finals = new HashMap<>();
        for (ProteusEvent e : events) {
          if (e instanceof ProteusEvent.TaskChanged c && c.to().isFinal()) {
            finals.merge(c.task(), 1L, Long::sum);
          }
        }
        for (TaskResult t : done.tasks()) {
          assertThat(finals.get(t.id())).as("%s ends once", t.testName()).isEqualTo(1L);
          assertThat(t.attempts()).extracting(AttemptRecord::fencingToken).doesNotHaveDuplicates();
        }
        return done;
      } finally {
        agents.forEach(Agent::stop);
        core.stop(Duration.ZERO);
      }
    }
  }
}
