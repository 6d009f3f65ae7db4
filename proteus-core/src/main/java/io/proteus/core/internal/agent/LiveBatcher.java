package io.proteus.core.internal.agent;

import io.proteus.spi.OutputSink;
import io.proteus.spi.transport.AgentMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One attempt's output as the core's live tail sees it: lines batched and sent every {@link #EVERY}
 * while there are any, at most {@link #MAX_BATCH} lines a batch; lines over that are counted as
 * dropped in the next batch, and each line is cut to {@link AgentMessage.Output#MAX_LINE} chars.
 * Closing sends what is left.
 */
final class LiveBatcher implements OutputSink, AutoCloseable {
  static final Duration EVERY = Duration.ofMillis(200);
  static final int MAX_BATCH = 256;

  private final long token;
  private final Consumer<AgentMessage> send;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition closing = lock.newCondition();
  private ArrayDeque<String> lines = new ArrayDeque<>();
  private long dropped;
  private boolean closed;
  private final Thread flusher;

  LiveBatcher(long token, Consumer<AgentMessage> send) {
    this.token = token;
    this.send = send;
    this.flusher = Thread.ofVirtual().name("proteus-live-" + token).start(this::flushLoop);
  }

  @Override
  public void stdout(String line) {
    add(line);
  }

  @Override
  public void stderr(String line) {
    add(line);
  }

  private void add(String line) {
    String cut =
        line.length() > AgentMessage.Output.MAX_LINE
            ? line.substring(0, AgentMessage.Output.MAX_LINE - 1) + "…"
            : line;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      if (lines.size() >= MAX_BATCH) {
        lines.removeFirst();
        dropped++;
      }
      lines.addLast(cut);
    } finally {
      lock.unlock();
    }
  }

  private void flushLoop() {
    while (true) {
      lock.lock();
      try {
        if (!closed) {
          closing.await(EVERY.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (closed && lines.isEmpty() && dropped == 0) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      flush();
    }
  }

  private void flush() {
    List<String> batch;
    long notSent;
    lock.lock();
    try {
      if (lines.isEmpty() && dropped == 0) {
        return;
      }
      batch = List.copyOf(lines);
      notSent = dropped;
      lines = new ArrayDeque<>();
      dropped = 0;
    } finally {
      lock.unlock();
    }
    try {
      send.accept(new AgentMessage.Output(token, batch, notSent));
    } catch (RuntimeException e) {
      // a live tail is best effort: the whole log is handed over when the attempt ends
    }
  }

  /** Sends what is left and stops; waits a little for the last batch. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      closing.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      flusher.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
