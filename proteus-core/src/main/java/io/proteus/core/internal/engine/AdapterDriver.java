package io.proteus.core.internal.engine;

import io.proteus.CoreStoppedException;
import io.proteus.ProteusException;
import io.proteus.core.internal.job.JobRecord;
import io.proteus.core.internal.loop.EventLoop;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.spi.Adapter;
import io.proteus.spi.AdapterContext;
import io.proteus.spi.DeliveryContext;
import io.proteus.spi.Reservation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the adapters: polls each on the blocking executor, delivers finished jobs from the store's
 * outbox, and releases each build's storage when its last job is final. Loop-thread only, except
 * the adapter contexts, which any thread may use.
 */
public final class AdapterDriver {
  private static final Logger log = LoggerFactory.getLogger(AdapterDriver.class);

  private final CoreConfig config;
  private final EventLoop loop;
  private final StorageBudget budget;
  private final Map<String, Adapter> adapters = new LinkedHashMap<>();
  private final Set<String> polling = new HashSet<>();
  private final Set<JobId> delivering = new HashSet<>();
  private final Map<JobId, BuildHold> holds = new HashMap<>();
  private CoreEngine engine;
  private boolean polls = true;

  private record BuildHold(Reservation reservation, Set<JobId> open) {}

  public AdapterDriver(CoreConfig config, EventLoop loop, StorageBudget budget) {
    this.config = config;
    this.loop = loop;
    this.budget = budget;
  }

  public void attach(CoreEngine coreEngine) {
    this.engine = coreEngine;
  }

  /** Registers an adapter and starts polling it. */
  public void add(Adapter adapter) {
    if (adapters.putIfAbsent(adapter.name(), adapter) != null) {
      throw new ProteusException("an adapter named '" + adapter.name() + "' is already registered");
    }
    loop.post(() -> poll(adapter));
  }

  /**
   * Submits a build on behalf of an adapter; call on the loop. Each submission holds its own
   * reservation until its last job is final, even when a build id comes again.
   */
  public List<JobId> submit(String adapter, Build build) {
    List<JobId> ids = engine.submit(adapter, build);
    if (ids.isEmpty()) {
      build.reservation().release();
      return ids;
    }
    BuildHold hold = new BuildHold(build.reservation(), new HashSet<>(ids));
    ids.forEach(id -> holds.put(id, hold));
    return ids;
  }

  /**
   * Holds the storage of the builds whose jobs the core resumed from its store, until their last
   * job is final: a build folder inside the core's storage root is counted against the budget and
   * deleted then, as the adapter that unpacked it would have done.
   */
  public void resumed(List<JobRecord> jobs) {
    Map<String, BuildHold> byBuild = new HashMap<>();
    for (JobRecord job : jobs) {
      if (job.status.isFinal()) {
        continue;
      }
      java.util.Optional<java.nio.file.Path> folder = job.files.folder();
      String key =
          job.adapter + "\u0000" + job.buildId + "\u0000" + folder.map(Object::toString).orElse("");
      BuildHold hold =
          byBuild.computeIfAbsent(key, k -> new BuildHold(heldStorage(folder), new HashSet<>()));
      hold.open().add(job.id);
      holds.put(job.id, hold);
    }
  }

  private Reservation heldStorage(java.util.Optional<java.nio.file.Path> folder) {
    java.nio.file.Path root = config.storageRoot().toAbsolutePath().normalize();
    if (folder.isEmpty() || !folder.get().startsWith(root) || folder.get().equals(root)) {
      return Reservation.NONE;
    }
    java.nio.file.Path dir = folder.get();
    Reservation held = budget.reserveHeld(io.proteus.core.internal.util.Trees.sizeOf(dir));
    return new Reservation() {
      @Override
      public long bytes() {
        return held.bytes();
      }

      @Override
      public void release() {
        held.release();
        Thread.ofVirtual().start(() -> io.proteus.core.internal.util.Trees.deleteQuietly(dir));
      }
    };
  }

  /** Called when a job becomes final: releases its build's storage if it was the last. */
  public void jobFinal(JobRecord job) {
    BuildHold hold = holds.remove(job.id);
    if (hold != null) {
      hold.open().remove(job.id);
      if (hold.open().isEmpty()) {
        try {
          hold.reservation().release();
        } catch (RuntimeException e) {
          log.warn("releasing the storage of build {} failed", job.buildId, e);
        }
      }
    }
    deliverOutbox();
  }

  /** Offers every job in the outbox to its adapter. */
  public void deliverOutbox() {
    for (JobId id : config.store().outbox()) {
      if (delivering.contains(id)) {
        continue;
      }
      Optional<JobResult> job = engine.snapshots().job(id).or(() -> config.store().find(id));
      if (job.isEmpty()) {
        log.warn("outbox holds {}, which the store does not know; dropping it", id);
        config.store().removeFromOutbox(id);
        continue;
      }
      Adapter adapter = adapters.get(job.get().adapter());
      if (adapter == null) {
        continue;
      }
      delivering.add(id);
      runBlocking(
          () -> adapter.deliver(new DeliveryContext(job.get())),
          error -> {
            delivering.remove(id);
            if (error == null) {
              config.store().removeFromOutbox(id);
              engine.delivered(id);
            } else {
              log.warn(
                  "adapter {} failed to take the results of {}; retrying in {}",
                  adapter.name(),
                  id,
                  config.deliveryRetry(),
                  error);
              loop.schedule(config.deliveryRetry(), this::deliverOutbox);
            }
          });
    }
  }

  private void poll(Adapter adapter) {
    if (!polls || !polling.add(adapter.name())) {
      return;
    }
    runBlocking(
        () -> adapter.poll(new Context(adapter.name())),
        error -> {
          polling.remove(adapter.name());
          if (error != null) {
            log.warn(
                "adapter {} failed to poll; polling again in {}",
                adapter.name(),
                config.pollInterval(),
                error);
          }
          if (polls) {
            loop.schedule(config.pollInterval(), () -> poll(adapter));
          }
        });
  }

  /** Stops polling. */
  public void stopPolling() {
    polls = false;
  }

  /** Whether every adapter's poll has finished; for tests that step the loop. */
  public boolean idle() {
    return polling.isEmpty() && delivering.isEmpty();
  }

  private interface Blocking {
    void run() throws Exception;
  }

  private void runBlocking(Blocking work, java.util.function.Consumer<Throwable> done) {
    try {
      config
          .blockingExecutor()
          .execute(() -> {
            Throwable error = null;
            try {
              work.run();
            } catch (Exception | Error e) {
              error = e;
            }
            Throwable result = error;
            loop.post(() -> done.accept(result));
          });
    } catch (RuntimeException e) {
      done.accept(e);
    }
  }

  private final class Context implements AdapterContext {
    private final String adapter;

    Context(String adapter) {
      this.adapter = adapter;
    }

    @Override
    public Optional<Reservation> reserve(long bytes, String purpose) {
      return budget.tryReserve(bytes, purpose);
    }

    @Override
    public Path storageFolder() {
      Path dir =
          config
              .storageRoot()
              .resolve("adapters")
              .resolve(adapter.replaceAll("[^A-Za-z0-9._-]", "_"));
      try {
        return Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + dir, e);
      }
    }

    @Override
    public List<JobId> submit(Build build) {
      return onLoop(loop, () -> AdapterDriver.this.submit(adapter, build));
    }

    @Override
    public Clock clock() {
      return config.clock();
    }
  }

  /** Runs {@code action} on the loop and waits for its value; inline when already there. */
  public static <T> T onLoop(EventLoop loop, java.util.function.Supplier<T> action) {
    if (loop.isLoopThread()) {
      return action.get();
    }
    CompletableFuture<T> f = new CompletableFuture<>();
    loop.post(() -> {
      try {
        f.complete(action.get());
      } catch (RuntimeException | Error e) {
        f.completeExceptionally(e);
      }
    });
    while (true) {
      if (loop.isStopped() && !f.isDone()) {
        throw new CoreStoppedException("the core is stopped; nothing was done");
      }
      try {
        return f.get(200, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        log.trace("still waiting for the loop");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProteusException("interrupted while waiting for the core", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw new ProteusException("the core failed", e.getCause());
      }
    }
  }
}
