package io.proteus.core.internal.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proteus.model.JobStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The folders and files of a file store, and the steps of a batch on them: commit ({@code
 * batch.json} written, forced, renamed), apply (job files, journal lines, outbox marks, {@code
 * store.json}), finish ({@code batch.json} removed). Not thread-safe: the store calls it under its
 * write lock.
 */
public final class StoreFolder {
  /** The file with the format version, the last token and the last batch applied. */
  public static final String META = "store.json";

  /** The store's own journal, of adoptions; no job's journal can have this name. */
  public static final String STORE_JOURNAL = "_store.jsonl";

  private final Path root;
  private final Path pending;
  private final Path active;
  private final Path archive;
  private final Path journal;
  private final Path outbox;
  private final Path corrupt;
  private final Consumer<String> faults;
  private Optional<Adoption> adoption = Optional.empty();

  /**
   * The last adoption of the store's unfinished runs.
   *
   * @param core the core that adopted them
   * @param at when
   */
  public record Adoption(String core, Instant at) {}

  private StoreFolder(Path root, Consumer<String> faults) {
    this.root = root;
    this.pending = root.resolve("pending");
    this.active = root.resolve("active");
    this.archive = root.resolve("archive");
    this.journal = root.resolve("journal");
    this.outbox = root.resolve("outbox");
    this.corrupt = root.resolve("corrupt");
    this.faults = faults;
  }

  /**
   * The store in {@code root}, its folders made if missing.
   *
   * @param faults called with the name of each step of a batch before it runs; tests throw from it
   *     to stop a write where a crash would
   */
  public static StoreFolder open(Path root, Consumer<String> faults) throws IOException {
    StoreFolder f = new StoreFolder(root, faults);
    Files.createDirectories(root);
    for (Path p : f.folders()) {
      Files.createDirectories(p);
    }
    DiskFiles.forceFolder(root);
    return f;
  }

  /** The store's folder. */
  public Path root() {
    return root;
  }

  /** The lists, the journal, the outbox and the corrupt folder. */
  public List<Path> folders() {
    return List.of(pending, active, archive, journal, outbox, corrupt);
  }

  /** The three list folders, pending first. */
  public List<Path> lists() {
    return List.of(pending, active, archive);
  }

  /** Where files that could not be read are set aside. */
  public Path corrupt() {
    return corrupt;
  }

  /** The outbox folder. */
  public Path outbox() {
    return outbox;
  }

  /** The list folder of a job with this status. */
  public Path listFor(JobStatus status) {
    return switch (status) {
      case PENDING -> pending;
      case ACTIVE -> active;
      case COMPLETED, CANCELLED -> archive;
    };
  }

  /** The job's file in a list folder. */
  public static Path jobFile(Path list, String jobId) {
    return list.resolve(FileNames.of(jobId) + ".json");
  }

  /** The job's journal. */
  public Path journalOf(String jobId) {
    return journal.resolve(FileNames.of(jobId) + ".jsonl");
  }

  /** The job's outbox mark. */
  public Path outboxMark(String jobId) {
    return outbox.resolve(FileNames.of(jobId) + ".json");
  }

  /** The batch file. */
  public Path batchFile() {
    return root.resolve(BatchFile.NAME);
  }

  /** Makes the batch durable: once this returns, a crash replays it on the next open. */
  public void commit(BatchFile b) throws IOException {
    faults.accept("commit");
    DiskFiles.replace(batchFile(), b.toBytes());
    DiskFiles.forceFolder(root);
  }

  /**
   * Writes what a committed batch says into the lists, journals, outbox and {@code store.json}.
   * Idempotent: applying it again leaves the same files, and with {@code replay} a journal whose
   * last line is of this batch or a later one gets no second line.
   */
  public void apply(BatchFile b, boolean replay) throws IOException {
    faults.accept("apply");
    Set<Path> touched = new LinkedHashSet<>();
    Set<String> toOutbox = new LinkedHashSet<>();
    b.outbox().forEach(m -> toOutbox.add(m.jobId()));
    for (BatchFile.Entry e : b.jobs()) {
      JobFile jf = e.file();
      String id = jf.job().id().value();
      Path list = listFor(jf.job().status());
      DiskFiles.replace(jobFile(list, id), StoreJson.bytes(jf.toJson()));
      touched.add(list);
      for (Path other : lists()) {
        if (!other.equals(list) && DiskFiles.delete(jobFile(other, id))) {
          touched.add(other);
        }
      }
      Path j = journalOf(id);
      if (!replay || Journals.lastBatch(j) < b.number()) {
        if (!Files.exists(j)) {
          touched.add(journal);
        }
        DiskFiles.appendLine(j, e.journalLine(b.number(), b.at(), toOutbox.contains(id)));
      }
      faults.accept("job");
    }
    for (BatchFile.OutboxMark m : b.outbox()) {
      DiskFiles.replace(outboxMark(m.jobId()), m.toBytes());
      touched.add(outbox);
    }
    writeMeta(b.number(), b.lastToken());
    touched.add(root);
    for (Path p : touched) {
      DiskFiles.forceFolder(p);
    }
  }

  /** Removes the batch file of an applied batch. */
  public void finish() throws IOException {
    faults.accept("finish");
    DiskFiles.delete(batchFile());
    DiskFiles.forceFolder(root);
  }

  /** Writes {@code store.json}, not forcing the folder. */
  public void writeMeta(long lastBatch, long lastToken) throws IOException {
    ObjectNode o = StoreJson.object();
    o.put("format", StoreJson.FORMAT);
    o.put("lastBatch", lastBatch);
    o.put("lastToken", lastToken);
    adoption.ifPresent(a -> {
      o.put("adoptedBy", a.core());
      o.put("adoptedAt", a.at().toString());
    });
    DiskFiles.replace(root.resolve(META), StoreJson.bytes(o));
  }

  /** The last adoption, as {@code store.json} last said. */
  public Optional<Adoption> adoption() {
    return adoption;
  }

  /** Sets the adoption {@code store.json} carries, as read when the store opens. */
  void adoptionRead(Optional<Adoption> read) {
    adoption = read;
  }

  /**
   * Records that {@code core} adopted every unfinished run: in {@code store.json}, and as a line of
   * the store's own journal ({@value #STORE_JOURNAL}).
   */
  public void adopt(Adoption a, long lastBatch, long lastToken, int runs) throws IOException {
    Optional<Adoption> before = adoption;
    adoption = Optional.of(a);
    try {
      writeMeta(lastBatch, lastToken);
      DiskFiles.forceFolder(root);
    } catch (IOException e) {
      adoption = before;
      throw e;
    }
    ObjectNode line = StoreJson.object();
    line.put("at", a.at().toString());
    line.put("event", "adopt");
    line.put("core", a.core());
    line.put("runs", runs);
    boolean fresh = !Files.exists(journal.resolve(STORE_JOURNAL));
    DiskFiles.appendLine(journal.resolve(STORE_JOURNAL), StoreJson.bytes(line));
    if (fresh) {
      DiskFiles.forceFolder(journal);
    }
  }

  /** Puts a job in the outbox, durably. */
  public void addOutbox(BatchFile.OutboxMark m) throws IOException {
    DiskFiles.replace(outboxMark(m.jobId()), m.toBytes());
    DiskFiles.forceFolder(outbox);
  }

  /** Takes a job out of the outbox, durably. */
  public void removeOutbox(String jobId) throws IOException {
    if (DiskFiles.delete(outboxMark(jobId))) {
      DiskFiles.forceFolder(outbox);
    }
  }

  /** Removes an archived job's file, then its journal. */
  public void prune(String jobId) throws IOException {
    DiskFiles.delete(jobFile(archive, jobId));
    DiskFiles.forceFolder(archive);
    if (DiskFiles.delete(journalOf(jobId))) {
      DiskFiles.forceFolder(journal);
    }
  }
}
