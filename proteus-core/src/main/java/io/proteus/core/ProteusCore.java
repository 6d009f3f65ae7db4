package io.proteus.core;

import io.proteus.CoreStoppedException;
import io.proteus.ProteusException;
import io.proteus.core.internal.engine.AdapterDriver;
import io.proteus.core.internal.engine.CoreConfig;
import io.proteus.core.internal.engine.CoreEngine;
import io.proteus.core.internal.engine.StorageBudget;
import io.proteus.core.internal.loop.EventLoop;
import io.proteus.core.internal.transport.TransportHub;
import io.proteus.core.internal.util.Trees;
import io.proteus.core.store.InMemoryJobStore;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.LiveOutput;
import io.proteus.model.TaskId;
import io.proteus.model.WorkerStatus;
import io.proteus.spi.Adapter;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.DeliveryContext;
import io.proteus.spi.JobStore;
import io.proteus.spi.StoreResume;
import io.proteus.spi.transport.CoreTransport;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Proteus core: takes builds from adapters, splits them into jobs and tasks, routes tasks to
 * workers, retries what infrastructure broke, and hands results back. Make one with {@link
 * #builder()}, then {@link #start()} it; {@link #stop(Duration)} it when done.
 *
 * <pre>{@code
 * Platform linux = new ProcessPlatform("linux", cacheDir);
 * ProteusCore core =
 *     ProteusCore.builder()
 *         .worker(LocalWorker.builder("w1", linux).workRoot(workDir.resolve("w1")).build())
 *         .build()
 *         .start();
 * try {
 *   List<JobId> jobs = core.submit(new Build("build-42", plans, BuildFiles.ofFolder(dir),
 *       Reservation.NONE));
 *   JobResult result = core.completion(jobs.getFirst()).get(30, TimeUnit.MINUTES);
 *   log.info("{}, all passed: {}", result.status(), result.allPassed());
 * } finally {
 *   core.stop(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>All state lives on one loop thread; the methods here are thread-safe and never block on
 * anything but that loop. Its life is a {@link State}: a core that stopped or failed to start never
 * starts again.
 */
public final class ProteusCore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProteusCore.class);
  static final String DIRECT_ADAPTER = "direct";
  private static final Duration STORE_FLUSH_LIMIT = Duration.ofSeconds(10);

  private final CoreConfig config;
  private final EventLoop loop;
  private final CoreEngine engine;
  private final AdapterDriver adapters;
  private final StorageBudget budget;
  private final boolean threaded;
  private final @Nullable ExecutorService storeThread;
  private volatile State state = State.NEW;
  private final CompletableFuture<Void> hurry = new CompletableFuture<>();
  private volatile @Nullable Throwable failure;
  private final List<CoreTransport> startedTransports =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Where a core is in its life, as Guava's {@code Service}: {@code NEW -> STARTING -> RUNNING ->
   * STOPPING -> TERMINATED}, or {@code FAILED} when {@link #start()} failed.
   */
  public enum State {
    /** Built, not started. */
    NEW,
    /** {@link #start()} is registering the adapters and workers. */
    STARTING,
    /** Taking builds and running tasks. */
    RUNNING,
    /** {@link #stop(Duration)} is letting running tasks finish. */
    STOPPING,
    /** Stopped; it cannot start again. */
    TERMINATED,
    /** {@link #start()} failed; see {@link #failureCause()}. It cannot start again. */
    FAILED
  }

  ProteusCore(CoreConfig config, boolean threaded) {
    this.config = config;
    this.threaded = threaded;
    this.loop =
        config.monotonicTimers()
            ? new EventLoop(config.clock(), System::nanoTime)
            : new EventLoop(config.clock());
    this.budget = new StorageBudget(config.storageBudgetBytes());
    this.adapters = new AdapterDriver(config, loop, budget);
    this.storeThread =
        threaded
            ? Executors.newSingleThreadExecutor(Thread.ofVirtual().name("proteus-store").factory())
            : null;
    this.engine =
        new CoreEngine(
            config, loop, adapters::jobFinal, storeThread == null ? Runnable::run : storeThread);
    adapters.attach(engine);
  }

  /** The engine, for the core's own tests. */
  CoreEngine engine() {
    return engine;
  }

  /** A builder with sane defaults: in-memory store, system clock, virtual threads. */
  public static ProteusCoreBuilder builder() {
    return new ProteusCoreBuilder();
  }

  /**
   * Starts the loop, the adapters and the workers, and returns once they are registered. Idempotent
   * while running.
   *
   * @throws ProteusException when an adapter or a worker cannot start; the core is then {@link
   *     State#FAILED}, with the cause, and everything it had started is stopped
   * @throws CoreStoppedException when the core was stopped or failed before
   */
  public synchronized ProteusCore start() {
    switch (state) {
      case RUNNING -> {
        return this;
      }
      case NEW -> {}
      case FAILED ->
          throw new CoreStoppedException(
              "this core failed to start (" + failure + "); build a new one");
      case STARTING, STOPPING, TERMINATED ->
          throw new CoreStoppedException("a stopped core cannot start again; build a new one");
    }
    state = State.STARTING;
    if (threaded) {
      loop.start("proteus-loop");
    }
    try {
      onLoop(() -> {
        adapters.resumed(engine.resume(config.store().resume(), ProteusCore::filesOf));
        for (JobId id : config.store().outbox()) {
          config.store().find(id).ifPresent(engine::restoreSnapshot);
        }
        adapters.add(new DirectAdapter());
        config.adapters().forEach(adapters::add);
        config.workers().forEach(engine::addWorker);
        adapters.deliverOutbox();
        scheduleHeartbeatCheck();
        return null;
      });
    } catch (RuntimeException | Error e) {
      failed(e);
      throw new ProteusException("the core failed to start: " + e.getMessage(), e);
    }
    try {
      for (CoreTransport t : config.transports()) {
        t.start(new TransportHub(loop, engine, t, config.filesPublisher(), config.clock()));
        startedTransports.add(t);
      }
    } catch (RuntimeException | Error e) {
      failed(e);
      throw new ProteusException("a transport failed to start: " + e.getMessage(), e);
    }
    state = State.RUNNING;
    log.info(
        "Proteus core started with {} workers and {} adapters",
        config.workers().size(),
        config.adapters().size());
    return this;
  }

  private static BuildFiles filesOf(StoreResume.ResumedJob job) {
    Optional<Path> folder = job.filesFolder();
    if (folder.isEmpty()) {
      return BuildFiles.NONE;
    }
    if (!Files.isDirectory(folder.get(), LinkOption.NOFOLLOW_LINKS)) {
      log.warn(
          "the files of job {} were in {}, which is gone; its tests that need them will fail",
          job.job().id(),
          folder.get());
      return BuildFiles.NONE;
    }
    return BuildFiles.ofFolder(folder.get());
  }

  private void scheduleHeartbeatCheck() {
    loop.schedule(
        config.heartbeatTimeout().dividedBy(2),
        () -> {
          engine.checkHeartbeats();
          scheduleHeartbeatCheck();
        });
  }

  /**
   * Submits a build directly, without an adapter: one job per plan and platform, each stored before
   * this returns. Follow them with {@link #completion(JobId)}.
   */
  public List<JobId> submit(Build build) {
    requireRunning();
    return onLoop(() -> adapters.submit(DIRECT_ADAPTER, build));
  }

  /** Registers a worker while the core runs. */
  public void addWorker(io.proteus.spi.Worker worker) {
    requireRunning();
    onLoop(() -> {
      engine.addWorker(worker);
      return null;
    });
  }

  /**
   * Cancels a job: queued tasks are cancelled, running ones aborted; partial results are reported.
   */
  public boolean cancel(JobId id) {
    requireRunning();
    return onLoop(() -> engine.cancel(id, "job cancelled"));
  }

  /**
   * Stops giving a worker work, with no deadline: its current attempt runs to its end (bounded by
   * the test's own timeout), then the worker goes offline. The same as {@link #drain(String,
   * Duration)} without a deadline, not waiting.
   *
   * @throws ProteusException when no worker has this id
   */
  public void drain(String workerId) {
    requireRunning();
    requireWorker(workerId);
    onLoop(() -> engine.drain(workerId, null));
  }

  /**
   * Drains a worker: it is given no more work; the attempt it runs (or was just sent) may finish
   * within {@code deadline}; after that the attempt is handed back: aborted, and its task queued
   * again to run on another worker, using up none of the task's attempts and not counted against
   * the worker. The attempt's record says {@link io.proteus.model.AttemptEnd#HANDED_BACK} and why.
   * Then the worker goes offline; a new session of its agent does not put it back to work.
   *
   * @return completes once the worker is offline (at once for one that holds no task)
   * @throws ProteusException when no worker has this id
   */
  public CompletableFuture<Void> drain(String workerId, Duration deadline) {
    requireRunning();
    requireWorker(workerId);
    java.util.Objects.requireNonNull(deadline, "deadline");
    return onLoop(() -> engine.drain(workerId, deadline));
  }

  /**
   * Takes a worker out of rotation for {@code reason}, decided by an operator: at once when it
   * holds no task, else once its task ends. Shown in {@link WorkerStatus#quarantine()} and as a
   * {@link io.proteus.spi.ProteusEvent.WorkerQuarantined} event. It takes no work until {@link
   * #release(String)}.
   *
   * @return false, changing nothing, when the worker is offline, draining or quarantined already
   * @throws ProteusException when no worker has this id
   */
  public boolean quarantine(String workerId, String reason) {
    requireRunning();
    requireWorker(workerId);
    java.util.Objects.requireNonNull(reason, "reason");
    return onLoop(
        () -> engine.quarantine(workerId, reason, io.proteus.model.Quarantine.Decider.OPERATOR));
  }

  /**
   * Releases a quarantined worker, whoever quarantined it: it takes work again, its count of failed
   * tasks starts over, and a {@link io.proteus.spi.ProteusEvent.WorkerReleased} event says so.
   *
   * @return false, changing nothing, when the worker was not quarantined
   * @throws ProteusException when no worker has this id
   */
  public boolean release(String workerId) {
    requireRunning();
    requireWorker(workerId);
    return onLoop(() -> engine.release(workerId, io.proteus.model.Quarantine.Decider.OPERATOR));
  }

  /**
   * The former name of {@link #release(String)}.
   *
   * @deprecated use {@link #release(String)}
   */
  @Deprecated
  public void lift(String workerId) {
    release(workerId);
  }

  private void requireWorker(String workerId) {
    java.util.Objects.requireNonNull(workerId, "workerId");
    if (workers().stream().noneMatch(w -> w.descriptor().id().equals(workerId))) {
      throw new ProteusException("no worker with id '" + workerId + "'");
    }
  }

  /** Completes with the job's result when every task is final. */
  public CompletableFuture<JobResult> completion(JobId id) {
    return engine.snapshots().completion(id);
  }

  /** The job's current state. */
  public Optional<JobResult> job(JobId id) {
    return engine.snapshots().job(id);
  }

  /**
   * The last lines {@code task}'s current (or last) attempt printed while it ran, as its worker
   * streamed them: a capped tail (500 lines, 128 Ki chars) that counts what it let go. Empty when
   * the task printed nothing yet or its job has left memory; the whole log is the attempt's log.
   */
  public Optional<LiveOutput> liveOutput(TaskId task) {
    return engine.liveTails().of(task);
  }

  /** Every job this core knows, oldest first. */
  public List<JobResult> jobs() {
    return engine.snapshots().jobs();
  }

  /** Every registered worker. */
  public List<WorkerStatus> workers() {
    return engine.snapshots().workers();
  }

  /** Bytes of the storage budget reserved now. */
  public long storageReserved() {
    return budget.reserved();
  }

  /** The store the core writes through. */
  public JobStore store() {
    return config.store();
  }

  /**
   * Stops gracefully: no new builds, polls or dispatches; running tasks get up to {@code grace} to
   * finish, then are aborted (they stay unfinished in the store, for a core started on it later);
   * workers are stopped. Idempotent: called again while the core is stopping (a second SIGTERM), it
   * returns at once and cuts the first call's wait for running tasks to at most its own {@code
   * grace}.
   */
  public void stop(Duration grace) {
    synchronized (this) {
      if (state == State.NEW) {
        state = State.TERMINATED;
        deleteOwnedStorage();
        return;
      }
      if (state == State.STOPPING) {
        CompletableFuture.delayedExecutor(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS)
            .execute(() -> hurry.complete(null));
        return;
      }
      if (state != State.RUNNING) {
        return;
      }
      state = State.STOPPING;
    }
    CompletableFuture<Void> drained =
        onLoop(() -> {
          adapters.stopPolling();
          return engine.stopAccepting();
        });
    if (threaded) {
      try {
        CompletableFuture.anyOf(drained, hurry)
            .get(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS);
        if (hurry.isDone() && !drained.isDone()) {
          log.warn("stopping at once: the tasks still running are aborted");
        }
      } catch (TimeoutException e) {
        log.warn("tasks still running after the {} grace period are aborted", grace);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        log.warn("waiting for running tasks failed", e);
      }
    }
    CompletableFuture<Void> stored =
        onLoop(() -> {
          engine.shutdownWorkers();
          return engine.storeIdle();
        });
    if (threaded) {
      try {
        stored.get(STORE_FLUSH_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        log.warn("the job store did not take the last changes within {}", STORE_FLUSH_LIMIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    stopTransports();
    loop.stop();
    if (storeThread != null) {
      storeThread.shutdown();
    }
    deleteOwnedStorage();
    state = State.TERMINATED;
    log.info("Proteus core stopped");
  }

  /** Where the core is in its life. */
  public State state() {
    return state;
  }

  /** Why {@link #start()} failed, when the core is {@link State#FAILED}. */
  public Optional<Throwable> failureCause() {
    return Optional.ofNullable(failure);
  }

  private void failed(Throwable cause) {
    failure = cause;
    state = State.FAILED;
    log.error("the core failed to start", cause);
    try {
      onLoop(() -> {
        adapters.stopPolling();
        engine.shutdownWorkers();
        return null;
      });
    } catch (RuntimeException e) {
      log.warn("stopping what had started failed", e);
    }
    stopTransports();
    loop.stop();
    if (storeThread != null) {
      storeThread.shutdown();
    }
    deleteOwnedStorage();
  }

  private void stopTransports() {
    for (CoreTransport t : startedTransports) {
      try {
        t.stop();
      } catch (RuntimeException e) {
        log.warn("a transport failed to stop", e);
      }
    }
    startedTransports.clear();
  }

  private void deleteOwnedStorage() {
    if (config.ownsStorageRoot()) {
      Trees.deleteQuietly(config.storageRoot());
    }
  }

  /** Stops with a 30-second grace period. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }

  /**
   * Control of the loop of a core built with {@link ProteusCoreBuilder#steppedLoop()}.
   *
   * @throws ProteusException when the core runs its own loop thread
   */
  public LoopControl loopControl() {
    if (threaded) {
      throw new ProteusException("this core runs its own loop thread; build it with steppedLoop()");
    }
    return new LoopControl() {
      @Override
      public int runReady() {
        return loop.runReady();
      }

      @Override
      public Optional<java.time.Instant> nextTimer() {
        return loop.nextTimer();
      }
    };
  }

  private void requireRunning() {
    switch (state) {
      case RUNNING -> {}
      case STOPPING, TERMINATED ->
          throw new CoreStoppedException("the core is stopped; build a new one");
      case FAILED ->
          throw new CoreStoppedException(
              "the core failed to start (" + failure + "); build a new one");
      case NEW, STARTING ->
          throw new ProteusException(
              "the core is "
                  + state.name().toLowerCase(java.util.Locale.ROOT)
                  + "; start() it first");
    }
  }

  private <T> T onLoop(java.util.function.Supplier<T> action) {
    return AdapterDriver.onLoop(loop, action);
  }

  /** Direct submissions: results are read through {@link #completion(JobId)}. */
  private static final class DirectAdapter implements Adapter {
    @Override
    public String name() {
      return DIRECT_ADAPTER;
    }

    @Override
    public void poll(io.proteus.spi.AdapterContext context) {}

    @Override
    public void deliver(DeliveryContext context) {}
  }

  static JobStore defaultStore() {
    return new InMemoryJobStore();
  }
}
