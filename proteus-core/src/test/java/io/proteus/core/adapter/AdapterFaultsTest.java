package io.proteus.core.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.CoreStoppedException;
import io.proteus.core.ProteusCore;
import io.proteus.model.JobId;
import io.proteus.spi.Adapter;
import io.proteus.spi.AdapterContext;
import io.proteus.spi.DeliveryContext;
import io.proteus.spi.Reservation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adapters that throw anything, and cores that stop under them, lose nothing. */
class AdapterFaultsTest {
  @TempDir Path tmp;

  @Test
  void anErrorThrownByPollDoesNotStopPolling() {
    AtomicInteger polls = new AtomicInteger();
    Adapter erring =
        new Adapter() {
          @Override
          public String name() {
            return "erring";
          }

          @Override
          public void poll(AdapterContext context) {
            if (polls.incrementAndGet() == 1) {
              throw new AssertionError("a bug in the adapter");
            }
          }

          @Override
          public void deliver(DeliveryContext context) {}
        };
    try (ProteusCore core =
        ProteusCore.builder()
            .adapter(erring)
            .storage(tmp.resolve("storage"), 1 << 20)
            .pollInterval(Duration.ofMillis(20))
            .build()
            .start()) {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() >= 3);
    }
  }

  @Test
  void aBuildPolledWhileTheCoreStopsStaysInTheInbox() throws IOException {
    Path inbox = Files.createDirectories(tmp.resolve("inbox"));
    Path outbox = tmp.resolve("outbox");
    FolderAdapterTest.writeBuild(inbox.resolve("b1"), FolderAdapterTest.PLAN);
    AtomicInteger released = new AtomicInteger();
    AdapterContext stopping =
        new AdapterContext() {
          @Override
          public Optional<Reservation> reserve(long bytes, String purpose) {
            return Optional.of(
                new Reservation() {
                  @Override
                  public long bytes() {
                    return bytes;
                  }

                  @Override
                  public void release() {
                    released.incrementAndGet();
                  }
                });
          }

          @Override
          public Path storageFolder() {
            return tmp.resolve("storage");
          }

          @Override
          public List<JobId> submit(io.proteus.model.Build build) {
            throw new CoreStoppedException("the core is stopping; build b1 was not taken");
          }

          @Override
          public Clock clock() {
            return Clock.systemUTC();
          }
        };
    new FolderAdapter("folder", inbox, outbox).poll(stopping);
    assertThat(inbox.resolve("b1/tests.json")).exists();
    assertThat(inbox.resolve(".rejected")).doesNotExist();
    assertThat(outbox.resolve("b1")).doesNotExist();
    assertThat(released).hasValue(1);
    try (var left = Files.list(tmp.resolve("storage"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void callsAfterStopFailAtOnceInsteadOfWaitingForEver() {
    ProteusCore core =
        ProteusCore.builder().storage(tmp.resolve("storage"), 1 << 20).build().start();
    core.stop(Duration.ofSeconds(1));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          assertThatThrownBy(() -> core.cancel(new JobId("nope")))
              .isInstanceOf(CoreStoppedException.class);
          assertThatThrownBy(() -> core.drain("w")).isInstanceOf(CoreStoppedException.class);
          assertThatThrownBy(() -> core.lift("w")).isInstanceOf(CoreStoppedException.class);
        });
  }
}
