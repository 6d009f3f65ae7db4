package io.proteus.examples.cli;

import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.spi.Adapter;
import io.proteus.spi.AdapterContext;
import io.proteus.spi.DeliveryContext;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The adapter of {@code proteus run --data}: submits the run's build once, and takes each job's
 * results once. The core delivers at least once (again after a restart if it died before the outbox
 * write), so each delivery is recorded in the run folder, forced to disk, before it returns, and a
 * job already recorded is not taken again.
 */
final class RunAdapter implements Adapter {
  private final RunFolder folder;
  private final Set<JobId> delivered;
  private final Set<JobId> expected = new HashSet<>();
  private final CompletableFuture<List<JobId>> submitted = new CompletableFuture<>();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private @Nullable Build pending;
  private int deliveries;

  RunAdapter(RunFolder folder) throws IOException {
    this.folder = folder;
    this.delivered = new HashSet<>(folder.delivered());
  }

  @Override
  public String name() {
    return "run";
  }

  /** Submits {@code build} on the first poll. */
  synchronized void submitOnce(Build build) {
    pending = build;
  }

  /** The jobs the build became, once submitted. */
  CompletableFuture<List<JobId>> submitted() {
    return submitted;
  }

  /** Waits for these jobs; {@link #done()} completes once each was delivered. */
  synchronized void expect(Collection<JobId> jobs) {
    expected.addAll(jobs);
    checkDone();
  }

  /** Completes once every expected job's results were taken. */
  CompletableFuture<Void> done() {
    return done;
  }

  /** How many deliveries this process took (not counting repeats it refused). */
  synchronized int deliveries() {
    return deliveries;
  }

  @Override
  public void poll(AdapterContext context) {
    Build b;
    synchronized (this) {
      b = pending;
      pending = null;
    }
    if (b != null) {
      try {
        submitted.complete(context.submit(b));
      } catch (RuntimeException e) {
        submitted.completeExceptionally(e);
      }
    }
  }

  @Override
  public synchronized void deliver(DeliveryContext context) throws IOException {
    JobId id = context.result().id();
    if (delivered.add(id)) {
      try {
        folder.recordDelivery(id);
      } catch (IOException e) {
        delivered.remove(id);
        throw e;
      }
      deliveries++;
    }
    checkDone();
  }

  private void checkDone() {
    if (!expected.isEmpty() && delivered.containsAll(expected)) {
      done.complete(null);
    }
  }
}
