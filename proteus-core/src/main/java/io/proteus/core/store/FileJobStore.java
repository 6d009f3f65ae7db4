package io.proteus.core.store;

import io.proteus.core.internal.store.BatchFile;
import io.proteus.core.internal.store.JobFile;
import io.proteus.core.internal.store.StoreFolder;
import io.proteus.core.internal.store.StoreLoader;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.JobStore;
import io.proteus.spi.StoreBatch;
import io.proteus.spi.StoreResume;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable job store in a folder: the embedded default, no server to run. Every job is one JSON
 * file in {@code pending/}, {@code active/} or {@code archive/} by its status, with its task
 * leases, its files folder and its run reference; each write of a job adds a line to its journal;
 * finished jobs wait in {@code outbox/}. A {@link #write batch} is all-or-nothing: it is committed
 * as one file ({@code batch.json}: written, forced, renamed) before the lists change, and a batch a
 * crash left is applied again when the store opens. The layout, the write protocol and the limits
 * are in {@code docs/store.md}.
 *
 * <p>A file that cannot be read is moved to {@code corrupt/} with a WARN line; it never stops the
 * store from opening. Archived jobs that are no longer in the outbox are removed once they finished
 * longer ago than the {@linkplain Builder#retention retention}. Reads are served from memory and
 * never touch the disk. One process at a time uses a folder: another is refused with a {@link
 * StoreWriteException}; a second store opened on the folder in the same process takes it over from
 * the first, whose writes then fail. Thread-safe.
 */
public final class FileJobStore implements JobStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FileJobStore.class);
  private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

  private final StoreFolder folder;
  private final String coreId;
  private final Clock clock;
  private final Duration retention;
  private final FolderLock lock;
  private final Object io = new Object();

  private final Map<JobId, JobFile> jobs = new LinkedHashMap<>();
  private final Map<JobId, Long> outbox = new LinkedHashMap<>();
  private long lastToken;
  private long lastBatch;
  private long nextSeq;
  private long nextOutboxSeq;
  private Instant lastPrune;
  private @Nullable BatchFile unapplied;

  private FileJobStore(Builder b, StoreFolder folder, FolderLock lock, StoreLoader.Loaded loaded) {
    this.folder = folder;
    this.coreId = b.coreId;
    this.clock = b.clock;
    this.retention = b.retention;
    this.lock = lock;
    for (JobFile jf : loaded.jobs()) {
      jobs.put(jf.job().id(), jf);
      nextSeq = Math.max(nextSeq, jf.seq() + 1);
    }
    for (BatchFile.OutboxMark m : loaded.outbox()) {
      outbox.put(new JobId(m.jobId()), m.seq());
      nextOutboxSeq = Math.max(nextOutboxSeq, m.seq() + 1);
    }
    lastToken = loaded.lastToken();
    lastBatch = loaded.lastBatch();
    unapplied = loaded.unapplied().orElse(null);
    lastPrune = clock.instant();
  }

  /** Opens the store in {@code folder} with the default settings, making the folder if needed. */
  public static FileJobStore open(Path folder) {
    return builder(folder).open();
  }

  /** Settings for a store in {@code folder}. */
  public static Builder builder(Path folder) {
    return new Builder(folder);
  }

  /** The store's folder. */
  public Path folder() {
    return folder.root();
  }

  /** The id this store records as the adopter of the runs it writes and resumes. */
  public String coreId() {
    return coreId;
  }

  /** A job's run reference, if the job is stored. */
  public synchronized Optional<RunRef> runRef(JobId id) {
    JobFile jf = jobs.get(id);
    return jf == null ? Optional.empty() : Optional.of(jf.run());
  }

  @Override
  public void save(JobResult job) {
    write(
        new StoreBatch(
            List.of(new StoreBatch.StoredJob(job, BuildFiles.NONE, List.of(), false)), 0));
  }

  /**
   * Writes the batch all-or-nothing and durably: when this returns every job, lease and outbox mark
   * of the batch is on disk; when it throws, the store on disk is as before the call or (if the
   * batch was committed and only applying it failed) as after it, once the store opens again.
   *
   * @throws StoreWriteException when the disk refuses the write or the store is closed
   */
  @Override
  public void write(StoreBatch batch) {
    synchronized (io) {
      ensureOpen();
      applyLeftover();
      Instant now = clock.instant();
      Map<JobId, BatchFile.Entry> entries = new LinkedHashMap<>();
      List<BatchFile.OutboxMark> marks = new ArrayList<>();
      long seq;
      long outSeq;
      synchronized (this) {
        seq = nextSeq;
        outSeq = nextOutboxSeq;
      }
      for (StoreBatch.StoredJob sj : batch.jobs()) {
        BatchFile.Entry earlier = entries.get(sj.id());
        JobFile prev = earlier != null ? earlier.file() : current(sj.id());
        JobFile next;
        if (prev == null) {
          TreeMap<Integer, StoreBatch.TaskLease> leases = new TreeMap<>();
          sj.changed().forEach(l -> leases.put(l.index(), l));
          RunRef run = new RunRef(UUID.randomUUID(), coreId, now);
          next = new JobFile(seq++, 1, run, sj.files().folder(), leases, sj.job());
        } else {
          next = prev.next(sj.job(), sj.files().folder(), sj.changed());
        }
        List<Integer> changed = new ArrayList<>();
        if (earlier != null) {
          changed.addAll(earlier.changed());
        }
        sj.changed().forEach(l -> changed.add(l.index()));
        entries.put(sj.id(), new BatchFile.Entry(next, "write", changed));
        if (sj.toOutbox()
            && !inOutbox(sj.id())
            && marks.stream().noneMatch(m -> m.jobId().equals(sj.id().value()))) {
          marks.add(new BatchFile.OutboxMark(sj.id().value(), outSeq++));
        }
      }
      long token = Math.max(lastToken(), batch.lastToken());
      BatchFile b =
          new BatchFile(lastBatch() + 1, token, now, List.copyOf(entries.values()), marks);
      commitAndApply(b, seq, outSeq);
      if (!now.isBefore(lastPrune.plus(PRUNE_EVERY))) {
        prune(now);
      }
    }
  }

  /**
   * The unfinished jobs with their leases and files folders, and the last token; records that this
   * store's {@linkplain #coreId core} adopted their runs (in {@code store.json} and the store's
   * journal). A failure to record the adoption is logged and does not stop the resume.
   */
  @Override
  public StoreResume resume() {
    synchronized (io) {
      ensureOpen();
      Instant now = clock.instant();
      List<StoreResume.ResumedJob> out = new ArrayList<>();
      synchronized (this) {
        for (Map.Entry<JobId, JobFile> e : jobs.entrySet()) {
          JobFile jf = e.getValue();
          if (jf.job().status().isFinal()) {
            continue;
          }
          JobFile adopted = jf.withRun(new RunRef(jf.run().id(), coreId, now));
          e.setValue(adopted);
          out.add(
              new StoreResume.ResumedJob(
                  jf.job(), jf.filesFolder(), List.copyOf(jf.leases().values())));
        }
      }
      try {
        folder.adopt(new StoreFolder.Adoption(coreId, now), lastBatch(), lastToken(), out.size());
      } catch (IOException e) {
        log.warn(
            "job store {}: could not record that core '{}' adopted {} runs: {}",
            folder.root(),
            coreId,
            out.size(),
            e.toString());
      }
      return new StoreResume(lastToken(), out);
    }
  }

  @Override
  public synchronized Optional<JobResult> find(JobId id) {
    JobFile jf = jobs.get(id);
    return jf == null ? Optional.empty() : Optional.of(jf.job());
  }

  @Override
  public synchronized List<JobResult> list(JobList list) {
    List<JobResult> out = new ArrayList<>();
    for (JobFile jf : jobs.values()) {
      if (InMemoryJobStore.listOf(jf.job().status()) == list) {
        out.add(jf.job());
      }
    }
    return out;
  }

  /**
   * @throws StoreWriteException when the disk refuses the mark or the store is closed
   */
  @Override
  public void addToOutbox(JobId id) {
    synchronized (io) {
      ensureOpen();
      if (inOutbox(id)) {
        return;
      }
      long seq;
      synchronized (this) {
        seq = nextOutboxSeq;
      }
      try {
        folder.addOutbox(new BatchFile.OutboxMark(id.value(), seq));
      } catch (IOException e) {
        throw failed("could not put job '" + id + "' in the outbox", e);
      }
      synchronized (this) {
        outbox.put(id, seq);
        nextOutboxSeq = seq + 1;
      }
    }
  }

  @Override
  public synchronized List<JobId> outbox() {
    return List.copyOf(outbox.keySet());
  }

  /**
   * @throws StoreWriteException when the disk refuses the removal or the store is closed
   */
  @Override
  public void removeFromOutbox(JobId id) {
    synchronized (io) {
      ensureOpen();
      if (!inOutbox(id)) {
        return;
      }
      try {
        folder.removeOutbox(id.value());
      } catch (IOException e) {
        throw failed("could not take job '" + id + "' out of the outbox", e);
      }
      synchronized (this) {
        outbox.remove(id);
      }
    }
  }

  /** Releases the folder for another process. Later writes fail; reads still answer. Idempotent. */
  @Override
  public void close() {
    synchronized (io) {
      lock.release(this);
    }
  }

  private void commitAndApply(BatchFile b, long seq, long outSeq) {
    try {
      folder.commit(b);
    } catch (IOException e) {
      throw failed("could not write batch " + b.number() + " (" + b.jobs().size() + " jobs)", e);
    }
    try {
      folder.apply(b, false);
      folder.finish();
    } catch (IOException e) {
      unapplied = b;
      absorb(b, seq, outSeq);
      throw failed(
          "committed batch " + b.number() + " but could not apply it; the next write or open does",
          e);
    }
    absorb(b, seq, outSeq);
  }

  private void applyLeftover() {
    BatchFile b = unapplied;
    if (b == null) {
      return;
    }
    try {
      folder.apply(b, true);
      folder.finish();
      unapplied = null;
    } catch (IOException e) {
      throw failed("could not apply the committed batch " + b.number(), e);
    }
  }

  private synchronized void absorb(BatchFile b, long seq, long outSeq) {
    for (BatchFile.Entry e : b.jobs()) {
      jobs.put(e.file().job().id(), e.file());
    }
    for (BatchFile.OutboxMark m : b.outbox()) {
      outbox.putIfAbsent(new JobId(m.jobId()), m.seq());
    }
    nextSeq = Math.max(nextSeq, seq);
    nextOutboxSeq = Math.max(nextOutboxSeq, outSeq);
    lastBatch = b.number();
    lastToken = Math.max(lastToken, b.lastToken());
  }

  /** Removes archived jobs out of the outbox that finished longer than the retention ago. */
  void prune(Instant now) {
    lastPrune = now;
    Instant before = now.minus(retention);
    List<JobId> old = new ArrayList<>();
    synchronized (this) {
      for (JobFile jf : jobs.values()) {
        JobResult j = jf.job();
        if (j.status().isFinal()
            && !outbox.containsKey(j.id())
            && j.finished().orElse(j.submitted()).isBefore(before)) {
          old.add(j.id());
        }
      }
    }
    for (JobId id : old) {
      try {
        folder.prune(id.value());
      } catch (IOException e) {
        log.warn(
            "job store {}: could not remove old job '{}': {}", folder.root(), id, e.toString());
        continue;
      }
      synchronized (this) {
        jobs.remove(id);
      }
    }
    if (!old.isEmpty()) {
      log.debug(
          "job store {}: removed {} archived jobs past the retention", folder.root(), old.size());
    }
  }

  private synchronized @Nullable JobFile current(JobId id) {
    return jobs.get(id);
  }

  private synchronized boolean inOutbox(JobId id) {
    return outbox.containsKey(id);
  }

  private synchronized long lastToken() {
    return lastToken;
  }

  private synchronized long lastBatch() {
    return lastBatch;
  }

  private void ensureOpen() {
    if (!lock.heldBy(this)) {
      throw new StoreWriteException(
          "the job store at "
              + folder.root()
              + " is closed, or another store took the folder over");
    }
  }

  private StoreWriteException failed(String what, IOException e) {
    return new StoreWriteException(
        "job store "
            + folder.root()
            + ": "
            + what
            + ": "
            + e
            + "; it keeps its last complete state",
        e);
  }

  /** Settings of a {@link FileJobStore}. */
  public static final class Builder {
    private final Path folder;
    private Duration retention = Duration.ofDays(7);
    private String coreId = FolderLock.defaultCoreId();
    private Clock clock = Clock.systemUTC();
    private long maxFileBytes = 256L * 1024 * 1024;
    private Consumer<String> faults = step -> {};

    private Builder(Path folder) {
      this.folder = folder;
    }

    /** How long archived jobs are kept after they finish, once delivered. Default 7 days. */
    public Builder retention(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("a retention cannot be negative: " + value);
      }
      this.retention = value;
      return this;
    }

    /**
     * The id recorded as the adopter of runs this store writes or resumes. Default: the host name
     * and the process id, {@code HOST-PID}.
     */
    public Builder coreId(String value) {
      if (value.isBlank()) {
        throw new IllegalArgumentException("a core id cannot be blank");
      }
      this.coreId = value;
      return this;
    }

    /** The clock for run references, journal lines and retention. Default: the system's, UTC. */
    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    /**
     * The largest file the store reads back (default 256 MiB); a larger job file is set aside as
     * corrupt when the store opens.
     */
    public Builder maxFileBytes(long value) {
      if (value < 1024) {
        throw new IllegalArgumentException("the file cap is at least 1024 bytes: " + value);
      }
      this.maxFileBytes = value;
      return this;
    }

    /** Called before each step of a batch with its name; tests throw from it to stop there. */
    Builder faults(Consumer<String> value) {
      this.faults = value;
      return this;
    }

    /**
     * Opens the store: locks the folder, loads it, sets aside what cannot be read, applies a batch
     * a crash left, and removes archived jobs past the retention.
     *
     * @throws StoreWriteException when the folder cannot be made or read, or another process uses
     *     it
     */
    public FileJobStore open() {
      StoreFolder f;
      try {
        f = StoreFolder.open(folder.toAbsolutePath().normalize(), faults);
      } catch (IOException e) {
        throw new StoreWriteException("cannot open the job store at " + folder + ": " + e, e);
      }
      FolderLock lock = FolderLock.acquire(f.root());
      try {
        StoreLoader.Loaded loaded = new StoreLoader(f, maxFileBytes).load();
        FileJobStore store = new FileJobStore(this, f, lock, loaded);
        lock.own(store);
        store.prune(clock.instant());
        return store;
      } catch (IOException | RuntimeException e) {
        lock.release(null);
        if (e instanceof StoreWriteException s) {
          throw s;
        }
        throw new StoreWriteException("cannot read the job store at " + folder + ": " + e, e);
      }
    }
  }
}
