package io.proteus.testkit;

import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.TestPlan;
import io.proteus.spi.Adapter;
import io.proteus.spi.AdapterContext;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.DeliveryContext;
import io.proteus.spi.Reservation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An adapter that feeds the builds a test queues and records every result the core delivers. Queue
 * builds with {@link #offer}; they are submitted on the next poll (after reserving their size, if
 * they gave one). Make deliveries fail with {@link #failNextDeliveries} to test the outbox.
 * Thread-safe.
 */
public final class RecordingAdapter implements Adapter {
  private final String name;
  private final Deque<Pending> pending = new ArrayDeque<>();
  private final List<JobId> submitted = new ArrayList<>();
  private final List<JobResult> delivered = new ArrayList<>();
  private final Map<JobId, Integer> deliveries = new ConcurrentHashMap<>();
  private int failuresLeft;
  private int polls;

  private record Pending(String id, List<TestPlan> plans, BuildFiles files, long bytes) {}

  /** An adapter with this name. */
  public RecordingAdapter(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  /** Queues a build with no files and no storage need. */
  public synchronized RecordingAdapter offer(String buildId, TestPlan... plans) {
    return offer(buildId, BuildFiles.NONE, 0, plans);
  }

  /** Queues a build whose files need {@code bytes} of storage. */
  public synchronized RecordingAdapter offer(
      String buildId, BuildFiles files, long bytes, TestPlan... plans) {
    pending.add(new Pending(buildId, List.of(plans), files, bytes));
    return this;
  }

  /** The next {@code n} deliveries throw, as a flaky upload would. */
  public synchronized RecordingAdapter failNextDeliveries(int n) {
    this.failuresLeft = n;
    return this;
  }

  @Override
  public void poll(AdapterContext context) {
    synchronized (this) {
      polls++;
      while (!pending.isEmpty()) {
        Pending p = pending.peek();
        Optional<Reservation> r =
            p.bytes() == 0
                ? Optional.of(Reservation.NONE)
                : context.reserve(p.bytes(), "build " + p.id());
        if (r.isEmpty()) {
          break;
        }
        pending.poll();
        List<JobId> ids = context.submit(new Build(p.id(), p.plans(), p.files(), r.get()));
        submitted.addAll(ids);
      }
    }
  }

  @Override
  public void deliver(DeliveryContext context) {
    synchronized (this) {
      deliveries.merge(context.result().id(), 1, Integer::sum);
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new IllegalStateException("scripted delivery failure for " + context.result().id());
      }
      delivered.add(context.result());
    }
  }

  /** Jobs the adapter submitted, in order. */
  public synchronized List<JobId> submitted() {
    return List.copyOf(submitted);
  }

  /** Results delivered successfully, in order. */
  public synchronized List<JobResult> delivered() {
    return List.copyOf(delivered);
  }

  /** How many times delivery of a job was attempted. */
  public int deliveryAttempts(JobId id) {
    return deliveries.getOrDefault(id, 0);
  }

  /** Builds still waiting to be submitted (for lack of storage, or no poll yet). */
  public synchronized int waiting() {
    return pending.size();
  }

  /** How many polls happened. */
  public synchronized int polls() {
    return polls;
  }
}
