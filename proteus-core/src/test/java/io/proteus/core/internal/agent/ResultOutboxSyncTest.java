package io.proteus.core.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.spi.transport.AgentMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox writes each end before it returns, and forces it to disk only if it stays kept. */
class ResultOutboxSyncTest {
  @TempDir Path tmp;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<Path> forced = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  private ResultOutbox outbox(Duration delay) {
    OutboxSync sync = new OutboxSync(timer, delay, forced::add);
    return new ResultOutbox(Optional.of(tmp.resolve("outbox")), 8, System::nanoTime, sync);
  }

  private static AgentMessage end(long token) {
    return new AgentMessage.Released(token, Optional.of("log-" + token));
  }

  @Test
  void anEndIsInItsFileWhenPutReturnsAndARestartReadsItBackBeforeAnyForce() throws IOException {
    ResultOutbox first = outbox(Duration.ofHours(1));
    first.load();
    first.put(end(7));

    assertThat(forced).isEmpty();
    assertThat(tmp.resolve("outbox/7.json")).isRegularFile();
    assertThat(tmp.resolve("outbox")).isDirectoryNotContaining("glob:**.tmp");
    ResultOutbox restarted = outbox(Duration.ofHours(1));
    restarted.load();
    assertThat(restarted.end(7)).contains(end(7));
  }

  @Test
  void anEndStillKeptAfterTheDelayIsForcedWithItsFolder() throws IOException {
    ResultOutbox box = outbox(Duration.ZERO);
    box.load();
    box.put(end(3));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() ->
            assertThat(forced)
                .containsExactly(tmp.resolve("outbox/3.json"), tmp.resolve("outbox")));
  }

  @Test
  void anEndAcknowledgedBeforeTheDelayIsNeverForced() throws IOException {
    OutboxSync sync = new OutboxSync(timer, Duration.ofHours(1), forced::add);
    ResultOutbox box =
        new ResultOutbox(Optional.of(tmp.resolve("outbox")), 8, System::nanoTime, sync);
    box.load();
    box.put(end(4));
    box.put(end(5));
    box.remove(4);

    assertThat(sync.forceIfKept(tmp.resolve("outbox/4.json"))).isFalse();
    assertThat(sync.forceIfKept(tmp.resolve("outbox/5.json"))).isTrue();
    assertThat(forced).containsExactly(tmp.resolve("outbox/5.json"), tmp.resolve("outbox"));
  }

  @Test
  void theStandardForceFsyncsARealFileAndFolder() throws IOException {
    ResultOutbox box =
        new ResultOutbox(
            Optional.of(tmp.resolve("outbox")), 8, System::nanoTime, OutboxSync.standard());
    box.load();
    box.put(end(9));

    assertThat(OutboxSync.standard().forceIfKept(tmp.resolve("outbox/9.json"))).isTrue();
  }
}
