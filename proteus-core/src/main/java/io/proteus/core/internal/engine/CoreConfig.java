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
import java.util.concurrent.Executor;

/** Everything the core is built from; made and validated by {@code ProteusCore.Builder}. */
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
    io.proteus.spi.transport.FilesPublisher filesPublisher) {}
