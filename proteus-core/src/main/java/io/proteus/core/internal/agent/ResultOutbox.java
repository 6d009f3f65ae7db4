package io.proteus.core.internal.agent;

import io.proteus.spi.transport.AgentMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ends of attempts an agent keeps until the core acknowledges them: in memory, and, for an
 * agent in its own process, one file per fencing token in a folder, written atomically (a temporary
 * sibling moved over it) before the end is sent, deleted on the core's acknowledgement, and read
 * back when the agent starts again. A file is forced to disk only once its end has waited
 * unacknowledged for a while ({@link OutboxSync}). A file that cannot be read is moved aside as
 * {@code .broken} and named in the log. Thread-safe.
 */
public final class ResultOutbox {
  private static final Logger log = LoggerFactory.getLogger(ResultOutbox.class);

  /** The largest end file read back; a report larger than this cannot be a real one. */
  static final long MAX_FILE_BYTES = 16L << 20;

  private final Optional<Path> folder;
  private final int capacity;
  private final LongSupplier nanos;
  private final OutboxSync sync;
  private final TreeMap<Long, Entry> entries = new TreeMap<>();

  /** One kept end and when it was last sent, on the agent's monotonic clock. */
  private static final class Entry {
    final AgentMessage end;
    long sentNanos;

    Entry(AgentMessage end, long sentNanos) {
      this.end = end;
      this.sentNanos = sentNanos;
    }
  }

  /** An outbox in {@code folder} (or in memory when empty) that holds up to {@code capacity}. */
  public ResultOutbox(Optional<Path> folder, int capacity, LongSupplier nanos) {
    this(folder, capacity, nanos, OutboxSync.standard());
  }

  /** As above, with its files forced to disk by {@code sync}. */
  ResultOutbox(Optional<Path> folder, int capacity, LongSupplier nanos, OutboxSync sync) {
    this.sync = sync;
    if (capacity < 1) {
      throw new IllegalArgumentException("an outbox holds at least one end: " + capacity);
    }
    this.folder = folder;
    this.capacity = capacity;
    this.nanos = nanos;
  }

  /** Reads back the ends a previous run kept; temporary files of a write cut short are deleted. */
  public void load() throws IOException {
    if (folder.isEmpty()) {
      return;
    }
    Path dir = folder.get();
    Workspaces.createPrivate(dir);
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(files::add);
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.startsWith(".") && name.endsWith(".tmp")) {
        Files.deleteIfExists(f);
      } else if (name.endsWith(".json")) {
        readBack(f, name);
      }
    }
    synchronized (this) {
      if (!entries.isEmpty()) {
        log.info("{} attempt ends wait in {} for the core", entries.size(), dir);
      }
    }
  }

  private void readBack(Path f, String name) throws IOException {
    try {
      long token = Long.parseLong(name.substring(0, name.length() - ".json".length()));
      if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.size(f) > MAX_FILE_BYTES) {
        throw new IOException("not a regular file of at most " + MAX_FILE_BYTES + " bytes");
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(f)) {
        bytes = in.readNBytes((int) MAX_FILE_BYTES);
      }
      AgentMessage end = EndCodec.read(bytes);
      if (AgentMessage.endToken(end).orElse(token + 1) != token) {
        throw new IOException("it holds the end of another attempt");
      }
      synchronized (this) {
        entries.put(token, new Entry(end, Long.MIN_VALUE));
      }
    } catch (IOException | RuntimeException e) {
      Path aside = f.resolveSibling(name + ".broken");
      log.warn("cannot read the kept attempt end {}: {}; moved to {}", f, e.toString(), aside);
      Files.move(f, aside, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Whether it holds as many ends as it may. */
  public synchronized boolean full() {
    return entries.size() >= capacity;
  }

  /**
   * Keeps {@code end} (replacing an earlier end of the same attempt), in a file first when the
   * outbox has a folder (forced to disk later, if still kept then); marks it sent now.
   *
   * @throws IOException when it cannot be written; it is still kept in memory
   */
  public void put(AgentMessage end) throws IOException {
    long token =
        AgentMessage.endToken(end)
            .orElseThrow(() -> new IllegalArgumentException("not an attempt's end: " + end));
    try {
      if (folder.isPresent()) {
        Path file = folder.get().resolve(token + ".json");
        write(file, EndCodec.write(end));
        sync.kept(file);
      }
    } finally {
      synchronized (this) {
        entries.put(token, new Entry(end, nanos.getAsLong()));
      }
    }
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    String unique = Long.toHexString(ThreadLocalRandom.current().nextLong());
    Path tmp = file.resolveSibling("." + file.getFileName() + "." + unique + ".tmp");
    boolean moved = false;
    try {
      Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
    } catch (IOException e) {
      throw new IOException("cannot write " + file + ": " + e, e);
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** Forgets the end of {@code token}: the core has it. */
  public void remove(long token) {
    boolean had;
    synchronized (this) {
      had = entries.remove(token) != null;
      notifyAll();
    }
    if (had && folder.isPresent()) {
      try {
        Files.deleteIfExists(folder.get().resolve(token + ".json"));
      } catch (IOException e) {
        log.warn("cannot delete the acknowledged end of attempt {}: {}", token, e.toString());
      }
    }
  }

  /** The end kept for {@code token}, if any. */
  public synchronized Optional<AgentMessage> end(long token) {
    Entry e = entries.get(token);
    return e == null ? Optional.empty() : Optional.of(e.end);
  }

  /** The tokens of the ends it keeps, oldest first. */
  public synchronized Set<Long> tokens() {
    return new TreeSet<>(entries.keySet());
  }

  /** Every kept end, oldest first, all marked sent now. */
  public synchronized List<AgentMessage> all() {
    long now = nanos.getAsLong();
    List<AgentMessage> out = new ArrayList<>();
    for (Entry en : entries.values()) {
      en.sentNanos = now;
      out.add(en.end);
    }
    return out;
  }

  /**
   * The ends last sent at least {@code age} ago, oldest first, all marked sent now. Ends read back
   * from disk and not sent since are not due: a new session sends them after its hello.
   */
  public synchronized List<AgentMessage> due(Duration age) {
    long now = nanos.getAsLong();
    List<AgentMessage> out = new ArrayList<>();
    for (Map.Entry<Long, Entry> e : entries.entrySet()) {
      Entry en = e.getValue();
      if (en.sentNanos != Long.MIN_VALUE && now - en.sentNanos >= age.toNanos()) {
        en.sentNanos = now;
        out.add(en.end);
      }
    }
    return out;
  }

  /** Waits up to {@code limit} for the core to acknowledge every end; whether it did. */
  public synchronized boolean awaitEmpty(Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!entries.isEmpty()) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }
}
