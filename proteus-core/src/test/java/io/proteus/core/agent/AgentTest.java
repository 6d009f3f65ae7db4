package io.proteus.core.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.model.JobId;
import io.proteus.model.TaskId;
import io.proteus.model.TestSpec;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.Engine;
import io.proteus.spi.EngineContext;
import io.proteus.spi.Exec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.FailureKind;
import io.proteus.spi.Platform;
import io.proteus.spi.transport.AgentMessage;
import io.proteus.spi.transport.CoreMessage;
import io.proteus.spi.transport.FilesRef;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent runtime on its own: hello, dispatch, its kept ends, their acknowledgement. */
class AgentTest {
  @TempDir Path tmp;
  Path build;
  final List<String> started = new CopyOnWriteArrayList<>();
  final CompletableFuture<ExitStatus> held = new CompletableFuture<>();
  final CompletableFuture<ExitStatus> stubborn = new CompletableFuture<>();
  Agent agent;

  /**
   * Tests named {@code hold} run until the test ends them, {@code stubborn} ones also outlive their
   * abort until the test ends them; the rest exit 0 at once.
   */
  final Engine engine =
      new Engine() {
        @Override
        public Exec start(ExecSpec spec) {
          String test = spec.environment().getOrDefault("PROTEUS_TEST_NAME", "");
          started.add(test);
          CompletableFuture<ExitStatus> exit =
              test.equals("hold")
                  ? held
                  : test.equals("stubborn")
                      ? stubborn
                      : CompletableFuture.completedFuture(
                          new ExitStatus(0, false, false, Duration.ofMillis(5)));
          return new Exec() {
            @Override
            public CompletionStage<ExitStatus> exit() {
              return exit;
            }

            @Override
            public void abort() {
              if (exit != stubborn) {
                exit.complete(new ExitStatus(137, false, true, Duration.ZERO));
              }
            }
          };
        }
      };

  final Platform platform =
      new Platform() {
        @Override
        public String name() {
          return "linux";
        }

        @Override
        public Engine newEngine(EngineContext context) {
          return engine;
        }
      };

  @BeforeEach
  void setUp() throws IOException {
    build = Files.createDirectories(tmp.resolve("build"));
    Files.writeString(build.resolve("bin"), "unused");
  }

  @AfterEach
  void stopAgent() {
    if (agent != null) {
      agent.stop();
    }
  }

  Agent.Builder builder() {
    BuildFiles files = BuildFiles.ofFolder(build);
    return Agent.builder("a1", platform)
        .workRoot(tmp.resolve("agent"))
        .files(ref -> files)
        .heartbeatInterval(Duration.ofMillis(20));
  }

  TestLink start(Agent.Builder b) {
    agent = b.build();
    TestLink link = new TestLink();
    agent.start(link);
    link.context().connected();
    return link;
  }

  static CoreMessage.Dispatch dispatch(long token, String test) {
    return new CoreMessage.Dispatch(
        token,
        new TaskId(new JobId("j"), 0),
        1,
        TestSpec.of(test, "bin", Optional.empty(), List.of()),
        "linux",
        Duration.ofMinutes(1),
        FilesRef.at(URI.create("memory:/build")));
  }

  @Test
  void itSaysHelloWithWhatItIsAndANewSessionEachTime() {
    TestLink link = start(builder().pool("lab").tags("gpu"));
    link.context().received(new CoreMessage.Rejoin("core restarted"));
    List<AgentMessage.Hello> hellos = link.sent(AgentMessage.Hello.class);
    assertThat(hellos).hasSize(2);
    assertThat(hellos.getFirst().descriptor().pool()).isEqualTo("lab");
    assertThat(hellos.getFirst().descriptor().tags()).containsExactly("gpu");
    assertThat(hellos.getFirst().protocolVersion()).isEqualTo(1);
    assertThat(hellos.get(0).session()).isNotEqualTo(hellos.get(1).session());
  }

  @Test
  void anEndIsKeptOnDiskUntilAcknowledgedAndSentAgainAfterARestart() {
    TestLink link = start(builder());
    link.context().received(dispatch(5, "t"));
    await().atMost(Duration.ofSeconds(30)).until(() -> link.endsOf(5) > 0);
    AgentMessage.Completed first = link.sent(AgentMessage.Completed.class).getFirst();
    assertThat(tmp.resolve("agent/outbox/5.json")).exists();
    agent.stop();
    assertThat(link.sent.getLast()).isInstanceOf(AgentMessage.Bye.class);

    TestLink again = start(builder());
    assertThat(again.sent(AgentMessage.Hello.class).getFirst().held()).containsExactly(5L);
    assertThat(again.sent(AgentMessage.Completed.class)).containsExactly(first);
    assertThat(agent.unacknowledged()).containsExactly(5L);
    again.context().received(new CoreMessage.ResultAck(5));
    assertThat(agent.unacknowledged()).isEmpty();
    assertThat(tmp.resolve("agent/outbox/5.json")).doesNotExist();
  }

  @Test
  void theWorkspaceIsDeletedOnlyAfterTheEndIsSent() {
    Path workspace = tmp.resolve("agent/work/j-0-a1-6");
    List<Boolean> workspaceAtEnd = new CopyOnWriteArrayList<>();
    agent = builder().build();
    TestLink link = new TestLink();
    link.onSend =
        m -> {
          if (m instanceof AgentMessage.Completed) {
            workspaceAtEnd.add(Files.isDirectory(workspace));
          }
        };
    agent.start(link);
    link.context().connected();
    link.context().received(dispatch(6, "t"));
    await().atMost(Duration.ofSeconds(30)).until(() -> link.endsOf(6) > 0);

    assertThat(workspaceAtEnd).containsExactly(true);
    await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(workspace));
  }

  @Test
  void whileConnectedAnEndIsSentAgainUntilAcknowledged() {
    TestLink link = start(builder().resendInterval(Duration.ofMillis(50)));
    link.context().received(dispatch(6, "t"));
    await().atMost(Duration.ofSeconds(30)).until(() -> link.endsOf(6) >= 3);
    link.context().received(new CoreMessage.ResultAck(6));
    long sent = link.endsOf(6);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> link.endsOf(6) == sent);
  }

  @Test
  void aDuplicateDispatchChangesNothing() {
    TestLink link = start(builder());
    link.context().received(dispatch(7, "hold"));
    link.context().received(dispatch(7, "hold"));
    await().atMost(Duration.ofSeconds(30)).until(() -> started.size() == 1);
    assertThat(link.sent(AgentMessage.Accepted.class)).hasSize(2);
    assertThat(link.sent(AgentMessage.Failed.class)).isEmpty();
    held.complete(new ExitStatus(0, false, false, Duration.ZERO));
    await().atMost(Duration.ofSeconds(30)).until(() -> link.endsOf(7) == 1);
    link.context().received(dispatch(7, "hold"));
    assertThat(link.endsOf(7)).isEqualTo(2);
    assertThat(started).hasSize(1);
  }

  @Test
  void itTakesNoTaskWhileItsOutboxIsFull() {
    TestLink link = start(builder().maxUnacknowledged(1));
    link.context().received(dispatch(1, "t"));
    await().atMost(Duration.ofSeconds(30)).until(() -> link.endsOf(1) > 0);
    link.context().received(dispatch(2, "t"));
    assertThat(link.sent(AgentMessage.Failed.class))
        .singleElement()
        .satisfies(f -> {
          assertThat(f.token()).isEqualTo(2);
          assertThat(f.failure().kind()).isEqualTo(FailureKind.REJECTED);
          assertThat(f.failure().message()).contains("outbox is full");
        });
    link.context().received(new CoreMessage.ResultAck(1));
    link.context().received(dispatch(3, "t"));
    await().atMost(Duration.ofSeconds(30)).until(() -> link.endsOf(3) > 0);
    assertThat(link.sent(AgentMessage.Completed.class)).extracting(c -> c.token()).contains(3L);
  }

  @Test
  void aHeldAttemptIsInTheHelloOfANewSession() {
    TestLink link = start(builder());
    link.context().received(dispatch(8, "hold"));
    await().atMost(Duration.ofSeconds(30)).until(() -> started.size() == 1);
    link.context().disconnected("blip");
    link.context().connected();
    assertThat(link.sent(AgentMessage.Hello.class).getLast().held()).containsExactly(8L);
  }

  @Test
  void anAbortedAttemptEndsReleasedAndThatEndIsKeptToo() {
    TestLink link = start(builder());
    link.context().received(dispatch(9, "hold"));
    await().atMost(Duration.ofSeconds(30)).until(() -> started.size() == 1);
    link.context().received(new CoreMessage.Abort(9, "stale"));
    await().atMost(Duration.ofSeconds(30)).until(() -> link.endsOf(9) == 1);
    assertThat(link.sent(AgentMessage.Released.class)).extracting(r -> r.token()).contains(9L);
    assertThat(agent.unacknowledged()).containsExactly(9L);
  }

  @Test
  void aDispatchWhileTheAttemptItReplacesIsBeingAbortedWaitsForItsEndInsteadOfBeingRefused() {
    TestLink link = start(builder());
    link.context().received(dispatch(9, "stubborn"));
    await().atMost(Duration.ofSeconds(30)).until(() -> started.size() == 1);
    link.context().received(new CoreMessage.Abort(9, "stale"));
    link.context().received(dispatch(10, "quick"));
    link.context().received(dispatch(11, "other"));
    assertThat(started).containsExactly("stubborn");
    assertThat(link.sent(AgentMessage.Failed.class))
        .extracting(f -> f.token())
        .containsExactly(11L);
    stubborn.complete(new ExitStatus(137, false, true, Duration.ZERO));
    await().atMost(Duration.ofSeconds(30)).until(() -> link.endsOf(10) == 1);
    assertThat(link.sent(AgentMessage.Released.class)).extracting(r -> r.token()).contains(9L);
    assertThat(link.sent(AgentMessage.Completed.class)).extracting(c -> c.token()).contains(10L);
    assertThat(started).containsExactly("stubborn", "quick");
  }

  @Test
  void anAbortOfADispatchThatWaitsReleasesItWithoutRunningIt() {
    TestLink link = start(builder());
    link.context().received(dispatch(9, "stubborn"));
    await().atMost(Duration.ofSeconds(30)).until(() -> started.size() == 1);
    link.context().received(new CoreMessage.Abort(9, "stale"));
    link.context().received(dispatch(10, "quick"));
    link.context().received(new CoreMessage.Abort(10, "not needed"));
    await().atMost(Duration.ofSeconds(30)).until(() -> link.endsOf(10) == 1);
    assertThat(link.sent(AgentMessage.Released.class)).extracting(r -> r.token()).contains(10L);
    stubborn.complete(new ExitStatus(137, false, true, Duration.ZERO));
    await().atMost(Duration.ofSeconds(30)).until(() -> link.endsOf(9) == 1);
    assertThat(started).containsExactly("stubborn");
  }

  @Test
  void aKeptEndThatCannotBeReadIsMovedAsideAndTheAgentStarts() throws IOException {
    Path outbox = Files.createDirectories(tmp.resolve("agent/outbox"));
    Files.writeString(outbox.resolve("11.json"), "{\"type\":\"completed\",\"token\":");
    Files.writeString(outbox.resolve("12.json"), "{\"type\":\"released\",\"token\":13}");
    Files.writeString(outbox.resolve(".13.json.1234.tmp"), "half");
    TestLink link = start(builder());
    assertThat(agent.unacknowledged()).isEmpty();
    assertThat(outbox.resolve("11.json.broken")).exists();
    assertThat(outbox.resolve("12.json.broken")).exists();
    assertThat(outbox.resolve(".13.json.1234.tmp")).doesNotExist();
    assertThat(link.sent(AgentMessage.Hello.class).getFirst().held()).isEmpty();
  }

  @Test
  void filesItCannotResolveFailTheAttemptSayingWhy() {
    TestLink link =
        start(
            builder()
                .files(ref -> {
                  throw new IllegalStateException("fetcher down");
                }));
    link.context().received(dispatch(14, "t"));
    await().atMost(Duration.ofSeconds(30)).until(() -> link.endsOf(14) > 0);
    assertThat(link.sent(AgentMessage.Failed.class))
        .singleElement()
        .satisfies(f -> assertThat(f.failure().message()).contains("fetcher down"));
  }

  @Test
  void unpublishedFilesEndTheTaskAsABadBuildThatSaysSo() {
    TestLink link = start(builder().files(io.proteus.spi.transport.FilesResolver.NONE));
    CoreMessage.Dispatch d = dispatch(15, "t");
    link.context()
        .received(
            new CoreMessage.Dispatch(
                15, d.task(), 1, d.test(), "linux", d.timeout(), FilesRef.unpublished()));
    await().atMost(Duration.ofSeconds(30)).until(() -> link.endsOf(15) > 0);
    assertThat(link.sent(AgentMessage.Failed.class))
        .singleElement()
        .satisfies(f -> {
          assertThat(f.failure().kind()).isEqualTo(FailureKind.BAD_BUILD);
          assertThat(f.failure().retryable()).isFalse();
          assertThat(f.failure().message()).contains("published no files");
        });
    assertThat(Map.of()).isEmpty();
  }
}
