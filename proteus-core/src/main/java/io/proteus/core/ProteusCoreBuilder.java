package io.proteus.core;

import io.proteus.core.internal.engine.CoreConfig;
import io.proteus.spi.Adapter;
import io.proteus.spi.JobStore;
import io.proteus.spi.Pool;
import io.proteus.spi.ProteusListener;
import io.proteus.spi.Worker;
import io.proteus.spi.transport.CoreTransport;
import io.proteus.spi.transport.FilesPublisher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Configures a {@link ProteusCore}. Every setting has a default; {@link #build()} checks them and
 * says which one is wrong.
 */
public final class ProteusCoreBuilder {
  private Clock clock = Clock.systemUTC();
  private Executor blockingExecutor = Executors.newVirtualThreadPerTaskExecutor();
  private JobStore store = ProteusCore.defaultStore();
  private ProteusListener listener = ProteusListener.NONE;
  private final List<Adapter> adapters = new ArrayList<>();
  private final Map<String, Pool> pools = new LinkedHashMap<>();
  private final List<Worker> workers = new ArrayList<>();
  private final List<CoreTransport> transports = new ArrayList<>();
  private FilesPublisher filesPublisher = FilesPublisher.NONE;
  private Path storageRoot;
  private long storageBudget = 10L * 1024 * 1024 * 1024;
  private Duration defaultTimeout = Duration.ofMinutes(10);
  private Duration leaseGrace = Duration.ofSeconds(30);
  private Duration unroutableGrace = Duration.ofSeconds(30);
  private Duration heartbeatTimeout = Duration.ofSeconds(60);
  private Duration pollInterval = Duration.ofSeconds(5);
  private Duration deliveryRetry = Duration.ofSeconds(10);
  private int quarantineAfter = 3;
  private Duration abortGrace = Duration.ofSeconds(10);
  private CoreConfig.Timeouts timeouts = CoreConfig.Timeouts.DEFAULTS;
  private boolean clockSet;
  private boolean threaded = true;

  ProteusCoreBuilder() {}

  /** The clock the core reads; inject a manual one to step time in tests. */
  public ProteusCoreBuilder clock(Clock value) {
    this.clock = Objects.requireNonNull(value, "clock");
    this.clockSet = true;
    return this;
  }

  /** Where blocking work runs (adapter polls and deliveries). Default: a virtual thread each. */
  public ProteusCoreBuilder blockingExecutor(Executor value) {
    this.blockingExecutor = Objects.requireNonNull(value, "blockingExecutor");
    return this;
  }

  /** Where jobs are kept. Default: in memory. */
  public ProteusCoreBuilder store(JobStore value) {
    this.store = Objects.requireNonNull(value, "store");
    return this;
  }

  /** Who hears about every job, task and worker change. Default: {@link ProteusListener#NONE}. */
  public ProteusCoreBuilder listener(ProteusListener value) {
    this.listener = Objects.requireNonNull(value, "listener");
    return this;
  }

  /** Adds an adapter that brings builds. */
  public ProteusCoreBuilder adapter(Adapter value) {
    adapters.add(Objects.requireNonNull(value, "adapter"));
    return this;
  }

  /** Adds a pool with its own choice policy. Pools not added use {@link Pool#leastRecentlyUsed}. */
  public ProteusCoreBuilder pool(Pool value) {
    if (pools.putIfAbsent(value.name(), value) != null) {
      throw new IllegalArgumentException("a pool named '" + value.name() + "' is already set");
    }
    return this;
  }

  /** Adds a worker, started with the core. */
  public ProteusCoreBuilder worker(Worker value) {
    workers.add(Objects.requireNonNull(value, "worker"));
    return this;
  }

  /**
   * Adds a transport to remote agents, started with the core: each agent that says hello through it
   * joins as a worker (and leaves when its link is lost), one whose id is already registered by
   * another transport or given with {@link #worker} is refused. The agreements (accept with the
   * fencing token, acknowledged ends, stale attempts aborted) are the core's, whatever carries the
   * messages.
   */
  public ProteusCoreBuilder transport(CoreTransport value) {
    transports.add(Objects.requireNonNull(value, "transport"));
    return this;
  }

  /**
   * How a job's build files are made fetchable by remote agents. Default: {@link
   * FilesPublisher#NONE}: remote agents are told the build published no files, and tests that stage
   * a file end as bad builds saying so. Workers in this process get the files directly.
   */
  public ProteusCoreBuilder filesPublisher(FilesPublisher value) {
    this.filesPublisher = Objects.requireNonNull(value, "filesPublisher");
    return this;
  }

  /**
   * The folder for fetched builds and the byte budget they share. Default: a temp folder, 10 GiB.
   */
  public ProteusCoreBuilder storage(Path root, long budgetBytes) {
    this.storageRoot = Objects.requireNonNull(root, "root");
    this.storageBudget = budgetBytes;
    return this;
  }

  /** The timeout of a test that sets none. Default: 10 minutes. */
  public ProteusCoreBuilder defaultTimeout(Duration value) {
    this.defaultTimeout = value;
    return this;
  }

  /**
   * How long past a test's timeout the core waits for its result before it gives up on the attempt.
   * Default: 30 s.
   */
  public ProteusCoreBuilder leaseGrace(Duration value) {
    this.leaseGrace = value;
    return this;
  }

  /**
   * How long a task waits for a worker that could serve it to register before it fails. Default: 30
   * s.
   */
  public ProteusCoreBuilder unroutableGrace(Duration value) {
    this.unroutableGrace = value;
    return this;
  }

  /** How long a worker may stay silent before it is lost. Default: 60 s. */
  public ProteusCoreBuilder heartbeatTimeout(Duration value) {
    this.heartbeatTimeout = value;
    return this;
  }

  /** How often adapters poll. Default: 5 s. */
  public ProteusCoreBuilder pollInterval(Duration value) {
    this.pollInterval = value;
    return this;
  }

  /** How long after a failed delivery it is tried again. Default: 10 s. */
  public ProteusCoreBuilder deliveryRetry(Duration value) {
    this.deliveryRetry = value;
    return this;
  }

  /**
   * How long the core keeps an aborted attempt's worker and resource tags held while it waits for
   * the worker to say that the attempt's processes are gone ({@code WorkerEvents.released}). A
   * worker that never says so is reused after this. Default: 10 s.
   */
  public ProteusCoreBuilder abortGrace(Duration value) {
    this.abortGrace = value;
    return this;
  }

  /**
   * How long a task may wait in the queue for a worker to take it, for tests that set no {@code
   * queue_timeout}; past it the task ends as ERROR without running and is not retried. A task
   * queued again for a retry waits anew. Default: none, a task waits as long as it takes.
   */
  public ProteusCoreBuilder queueTimeout(Duration value) {
    this.timeouts =
        new CoreConfig.Timeouts(Optional.of(value), timeouts.noOutput(), timeouts.cancelGrace());
    return this;
  }

  /**
   * How long an attempt may print nothing, on stdout or stderr, for tests that set no {@code
   * no_output_timeout}; past it the attempt is stopped and ends as timed out. Default: none.
   */
  public ProteusCoreBuilder noOutputTimeout(Duration value) {
    this.timeouts =
        new CoreConfig.Timeouts(timeouts.queue(), Optional.of(value), timeouts.cancelGrace());
    return this;
  }

  /**
   * How long a stopped attempt (cancelled, timed out, silent, aborted) gets to end after the polite
   * stop ({@code SIGTERM}) before it is killed, for tests that set no {@code cancel_grace}; zero
   * kills at once. Default: 10 s.
   */
  public ProteusCoreBuilder cancelGrace(Duration value) {
    this.timeouts = new CoreConfig.Timeouts(timeouts.queue(), timeouts.noOutput(), value);
    return this;
  }

  /**
   * After failures to run on this many different tasks in a row, a worker is quarantined. A task
   * counts once however often it failed there, and not at all once it also could not run on another
   * worker: that is the task's fault, not the worker's. Default: 3.
   */
  public ProteusCoreBuilder quarantineAfter(int value) {
    this.quarantineAfter = value;
    return this;
  }

  /**
   * Runs the loop without a thread of its own: the caller steps it through {@link
   * ProteusCore#loopControl()}. For test environments with a manual clock.
   */
  public ProteusCoreBuilder steppedLoop() {
    this.threaded = false;
    return this;
  }

  /** Checks every setting and makes the core. */
  public ProteusCore build() {
    positive("defaultTimeout", defaultTimeout);
    positive("leaseGrace", leaseGrace);
    positive("heartbeatTimeout", heartbeatTimeout);
    positive("pollInterval", pollInterval);
    positive("deliveryRetry", deliveryRetry);
    positive("abortGrace", abortGrace);
    timeouts.queue().ifPresent(d -> atMostAWeek("queueTimeout", d));
    timeouts.noOutput().ifPresent(d -> atMostAWeek("noOutputTimeout", d));
    Objects.requireNonNull(timeouts.cancelGrace(), "cancelGrace");
    if (timeouts.cancelGrace().isNegative() || timeouts.cancelGrace().compareTo(MAX_GRACE) > 0) {
      throw new IllegalArgumentException(
          "cancelGrace must be from 0 to 1 hour: " + timeouts.cancelGrace());
    }
    if (unroutableGrace.isNegative()) {
      throw new IllegalArgumentException(
          "unroutableGrace must not be negative: " + unroutableGrace);
    }
    if (storageBudget <= 0) {
      throw new IllegalArgumentException("storage budget must be positive: " + storageBudget);
    }
    unique("worker id", workers.stream().map(w -> w.descriptor().id()).toList());
    unique("adapter name", adapters.stream().map(Adapter::name).toList());
    if (adapters.stream().anyMatch(a -> a.name().equals(ProteusCore.DIRECT_ADAPTER))) {
      throw new IllegalArgumentException(
          "the adapter name '" + ProteusCore.DIRECT_ADAPTER + "' is the core's own; pick another");
    }
    if (quarantineAfter < 1) {
      throw new IllegalArgumentException("quarantineAfter must be at least 1: " + quarantineAfter);
    }
    Path root = storageRoot;
    boolean ownsRoot = root == null;
    if (root == null) {
      try {
        root = Files.createTempDirectory("proteus-storage");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a storage folder", e);
      }
    }
    return new ProteusCore(
        new CoreConfig(
            clock,
            blockingExecutor,
            store,
            listener,
            List.copyOf(adapters),
            Map.copyOf(pools),
            List.copyOf(workers),
            root,
            storageBudget,
            defaultTimeout,
            leaseGrace,
            unroutableGrace,
            heartbeatTimeout,
            pollInterval,
            deliveryRetry,
            quarantineAfter,
            abortGrace,
            !clockSet,
            ownsRoot,
            List.copyOf(transports),
            filesPublisher,
            timeouts),
        threaded);
  }

  private static void unique(String what, List<String> names) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String n : names) {
      if (!seen.add(n)) {
        throw new IllegalArgumentException(
            "the " + what + " '" + n + "' is given twice; each must be unique");
      }
    }
  }

  private static final Duration MAX_GRACE = Duration.ofHours(1);

  private static void atMostAWeek(String name, Duration d) {
    positive(name, d);
    if (d.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException(name + " must be at most 7 days: " + d);
    }
  }

  private static void positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
