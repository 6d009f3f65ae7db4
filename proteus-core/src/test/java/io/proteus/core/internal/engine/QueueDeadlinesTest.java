package io.proteus.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.core.internal.loop.EventLoop;
import io.proteus.core.store.InMemoryJobStore;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.JobStore;
import io.proteus.spi.ProteusListener;
import io.proteus.spi.Reservation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The queue deadlines at the engine: one ordered structure and one loop timer however many tasks
 * wait, time stepped by hand; a step that fails leaves no deadline behind.
 */
class QueueDeadlinesTest {
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  final EventLoop loop = new EventLoop(clock, nanos::get);
  final AtomicBoolean storeFails = new AtomicBoolean();
  final InMemoryJobStore memory = new InMemoryJobStore();
  final JobStore store =
      (JobStore)
          Proxy.newProxyInstance(
              JobStore.class.getClassLoader(),
              new Class<?>[] {JobStore.class},
              (proxy, method, args) -> {
                if (storeFails.get() && method.getName().matches("save|write")) {
                  throw new IllegalStateException("the disk is full");
                }
                try {
                  return method.invoke(memory, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });

  CoreEngine engine(Optional<Duration> queue) {
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
            Duration.ofDays(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            3,
            Duration.ofSeconds(1),
            true,
            false,
            List.of(),
            io.proteus.spi.transport.FilesPublisher.NONE,
            new CoreConfig.Timeouts(queue, Optional.empty(), Duration.ofSeconds(10)));
    return new CoreEngine(config, loop, job -> {});
  }

  static Build build(String id, int tests) {
    List<TestSpec> specs =
        IntStream.range(0, tests).mapToObj(i -> TestSpec.builder("t" + i, "t.sh").build()).toList();
    return new Build(
        id,
        List.of(new TestPlan("p", "1", List.of("linux"), "default", Optional.empty(), specs)),
        BuildFiles.NONE,
        Reservation.NONE);
  }

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
    loop.runReady();
  }

  long count(CoreEngine engine, JobId job, TaskStatus status) {
    return engine.snapshots().jobs.get(job).tasks().stream()
        .filter(t -> t.status() == status)
        .count();
  }

  @Test
  void tenThousandWaitingTasksShareOneTimer() {
    CoreEngine engine = engine(Optional.of(Duration.ofMinutes(1)));
    JobId job = engine.submit("direct", build("b", 10_000)).getFirst();
    loop.runReady();
    assertThat(engine.queueDeadlines().size()).isEqualTo(10_000);
    assertThat(engine.queueDeadlines().timersSet()).isEqualTo(1);
    advance(Duration.ofSeconds(59));
    assertThat(count(engine, job, TaskStatus.QUEUED)).isEqualTo(10_000);
    advance(Duration.ofSeconds(1));
    assertThat(count(engine, job, TaskStatus.ERROR)).isEqualTo(10_000);
    assertThat(engine.queueDeadlines().size()).isZero();
    assertThat(engine.book().queuedCount()).isZero();
    assertThat(engine.book().violations()).isEmpty();
  }

  @Test
  void laterSubmissionsSetNoNewTimerUntilTheSoonestFires() {
    CoreEngine engine = engine(Optional.of(Duration.ofMinutes(1)));
    List<JobId> jobs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      jobs.add(engine.submit("direct", build("b" + i, 20)).getFirst());
      loop.runReady();
      nanos.addAndGet(Duration.ofMillis(100).toNanos());
    }
    assertThat(engine.queueDeadlines().timersSet()).isEqualTo(1);
    advance(Duration.ofSeconds(55));
    assertThat(count(engine, jobs.getFirst(), TaskStatus.ERROR)).isEqualTo(20);
    assertThat(count(engine, jobs.getLast(), TaskStatus.QUEUED)).isEqualTo(20);
    advance(Duration.ofSeconds(10));
    assertThat(jobs).allSatisfy(j -> assertThat(count(engine, j, TaskStatus.ERROR)).isEqualTo(20));
    assertThat(engine.queueDeadlines().size()).isZero();
  }

  @Test
  void withoutAQueueTimeoutNothingIsFollowed() {
    CoreEngine engine = engine(Optional.empty());
    JobId job = engine.submit("direct", build("b", 100)).getFirst();
    advance(Duration.ofHours(12));
    assertThat(engine.queueDeadlines().size()).isZero();
    assertThat(engine.queueDeadlines().timersSet()).isZero();
    assertThat(count(engine, job, TaskStatus.QUEUED)).isEqualTo(100);
  }

  @Test
  void aSubmitTheStoreRefusesLeavesNoDeadline() {
    CoreEngine engine = engine(Optional.of(Duration.ofMinutes(1)));
    storeFails.set(true);
    assertThatThrownBy(() -> engine.submit("direct", build("b", 10)))
        .hasMessageContaining("the disk is full");
    loop.runReady();
    assertThat(engine.queueDeadlines().size()).isZero();
    assertThat(engine.queueDeadlines().timersSet()).isZero();
  }

  @Test
  void theReasonSaysHowLongItWaited() {
    assertThat(QueueDeadlines.reason(Duration.ofMillis(90_500).toNanos(), Duration.ofSeconds(90)))
        .isEqualTo(
            "no worker started it within its queue timeout of 90s: it waited 90.5s in the queue;"
                + " not retried");
    assertThat(QueueDeadlines.seconds(Duration.ofMillis(250))).isEqualTo("250ms");
  }
}
