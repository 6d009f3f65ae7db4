package io.proteus.docker.internal;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a task holds (cache leases, sidecars, volumes, a built image), released in the reverse of
 * the order taken, each once; a failing release is logged and the others still run. Thread-safe.
 */
public final class Releases {
  private static final Logger log = LoggerFactory.getLogger(Releases.class);

  private record Entry(String what, AutoCloseable release) {}

  private final List<Entry> entries = new ArrayList<>();
  private boolean closed;

  /** Adds a release; {@code what} names it in logs. */
  public synchronized void add(String what, AutoCloseable release) {
    entries.add(new Entry(what, release));
  }

  /** Runs every release, last first. Idempotent; never throws. */
  public void close() {
    List<Entry> todo;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      todo = new ArrayList<>(entries).reversed();
    }
    for (Entry e : todo) {
      try {
        e.release().close();
      } catch (Exception ex) {
        log.warn("cannot release {}: {}", e.what(), Errors.describe(ex));
      }
    }
  }
}
