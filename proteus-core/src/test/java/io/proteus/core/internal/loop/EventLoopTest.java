package io.proteus.core.internal.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class EventLoopTest {
  static final class StepClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void steppedLoopRunsEventsInOrderAndTimersOnlyWhenDue() {
    StepClock clock = new StepClock();
    EventLoop loop = new EventLoop(clock);
    List<String> ran = new ArrayList<>();
    loop.schedule(Duration.ofSeconds(2), () -> ran.add("timer-2s"));
    EventLoop.Timer cancelled = loop.schedule(Duration.ofSeconds(1), () -> ran.add("cancelled"));
    loop.post(() -> ran.add("a"));
    loop.post(() -> ran.add("b"));
    cancelled.cancel();
    assertThat(loop.runReady()).isEqualTo(2);
    assertThat(ran).containsExactly("a", "b");
    assertThat(loop.nextTimer()).contains(clock.now.plusSeconds(2));
    clock.now = clock.now.plusSeconds(2);
    loop.runReady();
    assertThat(ran).containsExactly("a", "b", "timer-2s");
  }

  @Test
  void timersFollowTheMonotonicClockWhenTheWallClockJumps() {
    StepClock wall = new StepClock();
    long[] mono = {1_000};
    EventLoop loop = new EventLoop(wall, () -> mono[0]);
    List<String> ran = new ArrayList<>();
    loop.schedule(Duration.ofSeconds(30), () -> ran.add("lease"));
    wall.now = wall.now.plus(Duration.ofHours(2));
    loop.runReady();
    assertThat(ran).isEmpty();
    wall.now = wall.now.minus(Duration.ofDays(1));
    mono[0] += Duration.ofSeconds(30).toNanos();
    loop.runReady();
    assertThat(ran).containsExactly("lease");
  }

  @Test
  void aDelayTooLargeToAddSaturatesInsteadOfThrowing() {
    StepClock clock = new StepClock();
    EventLoop loop = new EventLoop(clock);
    List<String> ran = new ArrayList<>();
    loop.schedule(Duration.ofSeconds(Long.MAX_VALUE), () -> ran.add("never"));
    loop.schedule(Duration.ofSeconds(-5), () -> ran.add("now"));
    loop.runReady();
    assertThat(ran).containsExactly("now");
    assertThat(loop.nextTimer()).isPresent();
  }

  @Test
  void aFailingEventDoesNotStopTheLoop() {
    EventLoop loop = new EventLoop(new StepClock());
    List<String> ran = new ArrayList<>();
    loop.post(() -> {
      throw new IllegalStateException("boom");
    });
    loop.post(() -> ran.add("after"));
    loop.runReady();
    assertThat(ran).containsExactly("after");
  }

  @Test
  void theLoopThreadRunsEverythingAndStopsPromptlyEvenWithAFarTimer() {
    EventLoop loop = new EventLoop(Clock.systemUTC());
    List<String> threads = new CopyOnWriteArrayList<>();
    loop.start("test-loop");
    loop.post(() -> loop.schedule(Duration.ofHours(1), () -> {}));
    AtomicReference<String> name = new AtomicReference<>();
    loop.post(() -> name.set(Thread.currentThread().getName()));
    loop.post(() ->
        loop.schedule(Duration.ofMillis(10), () -> threads.add(Thread.currentThread().getName())));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 1);
    assertThat(name.get()).isEqualTo("test-loop");
    long start = System.nanoTime();
    loop.stop();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }
}
