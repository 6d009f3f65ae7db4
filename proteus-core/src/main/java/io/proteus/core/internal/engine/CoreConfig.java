package io.proteus.core.internal.engine;

import io.proteus.spi.Adapter;
import io.proteus.spi.JobStore;
import io.proteus.spi.Pool;
import io.proteus.spi.ProteusListener;
import io.proteus.spi.Worker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Everything the core is built from; made and validated by {@code ProteusCore.Builder}. {@code
 * timeouts} holds the defaults of the per-test timeouts a test may set in its plan.
 */
public record CoreConfig(
    Clock clock,
    Executor blockingExecutor,
    JobStore store,
    ProteusListener listener,
    List<Adapter> adapters,
    Map<String, Pool> pools,
    List<Worker> workers,
    Path storageRoot,
    long storageBudgetBytes,
    Duration defaultTimeout,
    Duration leaseGrace,
    Duration unroutableGrace,
    Duration heartbeatTimeout,
    Duration pollInterval,
    Duration deliveryRetry,
    int quarantineAfter,
    Duration abortGrace,
    boolean monotonicTimers,
    boolean ownsStorageRoot,
    List<io.proteus.spi.transport.CoreTransport> transports,
    io.proteus.spi.transport.FilesPublisher filesPublisher,
    Timeouts timeouts) {

  /**
   * The core's defaults for a test that sets none of these.
   *
   * @param queue how long a task may wait in the queue for a worker; absent: no limit
   * @param noOutput how long an attempt may print nothing; absent: no limit
   * @param cancelGrace how long a stopped attempt gets before it is killed
   */
  public record Timeouts(
      Optional<Duration> queue, Optional<Duration> noOutput, Duration cancelGrace) {
    /** No queue or no-output limit, a 10 s grace. */
    public static final Timeouts DEFAULTS =
        new Timeouts(Optional.empty(), Optional.empty(), Duration.ofSeconds(10));
  }

  /** A config with the {@linkplain Timeouts#DEFAULTS default} timeouts. */
  public CoreConfig(
      Clock clock,
      Executor blockingExecutor,
      JobStore store,
      ProteusListener listener,
      List<Adapter> adapters,
      Map<String, Pool> pools,
      List<Worker> workers,
      Path storageRoot,
      long storageBudgetBytes,
      Duration defaultTimeout,
      Duration leaseGrace,
      Duration unroutableGrace,
      Duration heartbeatTimeout,
      Duration pollInterval,
      Duration deliveryRetry,
      int quarantineAfter,
      Duration abortGrace,
      boolean monotonicTimers,
      boolean ownsStorageRoot,
      List<io.proteus.spi.transport.CoreTransport> transports,
      io.proteus.spi.transport.FilesPublisher filesPublisher) {
    this(
        clock,
        blockingExecutor,
        store,
        listener,
        adapters,
        pools,
        workers,
        storageRoot,
        storageBudgetBytes,
        defaultTimeout,
        leaseGrace,
        unroutableGrace,
        heartbeatTimeout,
        pollInterval,
        deliveryRetry,
        quarantineAfter,
        abortGrace,
        monotonicTimers,
        ownsStorageRoot,
        transports,
        filesPublisher,
        Timeouts.DEFAULTS);
  }

  /** The cancel grace of {@code test}: its own, else the core's. */
  public Duration cancelGrace(io.proteus.model.TestSpec test) {
    return test.cancelGrace().orElse(timeouts.cancelGrace());
  }
}
