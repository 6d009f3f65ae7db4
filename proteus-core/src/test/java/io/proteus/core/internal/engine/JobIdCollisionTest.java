package io.proteus.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.ProteusException;
import io.proteus.core.internal.loop.EventLoop;
import io.proteus.core.store.InMemoryJobStore;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.ProteusListener;
import io.proteus.spi.Reservation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A random job-id suffix that comes up twice never replaces a job. */
class JobIdCollisionTest {
  final InMemoryJobStore store = new InMemoryJobStore();

  CoreEngine engine(Deque<String> suffixes) {
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    CoreConfig config =
        new CoreConfig(
            clock,
            Runnable::run,
            store,
            ProteusListener.NONE,
            List.of(),
            Map.of(),
            List.of(),
            Path.of("unused"),
            1,
            Duration.ofMinutes(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            3,
            Duration.ofSeconds(1),
            false,
            false,
            List.of(),
            io.proteus.spi.transport.FilesPublisher.NONE);
    return new CoreEngine(config, new EventLoop(clock), job -> {}, suffixes::poll, Runnable::run);
  }

  static Build build() {
    TestPlan plan =
        new TestPlan(
            "p",
            "1",
            List.of("linux"),
            "default",
            Optional.empty(),
            List.of(TestSpec.of("t", "t.sh", Optional.empty(), List.of())));
    return new Build("b", List.of(plan), BuildFiles.NONE, Reservation.NONE);
  }

  @Test
  void aCollidingSuffixIsDrawnAgain() {
    CoreEngine engine = engine(new ArrayDeque<>(List.of("same", "same", "other")));
    JobId first = engine.submit("direct", build()).getFirst();
    JobId second = engine.submit("direct", build()).getFirst();
    assertThat(first.value()).isEqualTo("b-p-linux-same");
    assertThat(second.value()).isEqualTo("b-p-linux-other");
    assertThat(engine.snapshots().jobs()).hasSize(2);
    assertThat(store.find(first)).isPresent();
  }

  @Test
  void anIdAlreadyInTheStoreIsNeverReused() {
    engine(new ArrayDeque<>(List.of("kept"))).submit("direct", build());
    CoreEngine restarted = engine(new ArrayDeque<>(List.of("kept", "fresh")));
    assertThat(restarted.submit("direct", build()).getFirst().value()).endsWith("-fresh");
  }

  @Test
  void aSuffixSourceThatOnlyCollidesIsAClearError() {
    Deque<String> always = new ArrayDeque<>();
    for (int i = 0; i < 200; i++) {
      always.add("x");
    }
    CoreEngine engine = engine(always);
    engine.submit("direct", build());
    assertThatThrownBy(() -> engine.submit("direct", build()))
        .isInstanceOf(ProteusException.class)
        .hasMessageContaining("could not find a free job id");
    assertThat(engine.snapshots().jobs()).hasSize(1);
  }
}
