package io.proteus.core.internal.store;

import io.proteus.core.store.RunRef;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a store's folder when it opens: {@code store.json}, every job file, every outbox mark, and
 * a batch left by a crash, which it applies again. A file it cannot read (bad JSON, a wrong format
 * version, a cut file, a file over the cap, a temporary file left by a crash, a file in the wrong
 * place) is moved into {@code corrupt/} with one WARN line naming it and the problem; loading goes
 * on without it.
 */
public final class StoreLoader {
  private static final Logger log = LoggerFactory.getLogger(StoreLoader.class);

  private final StoreFolder folder;
  private final long cap;

  /**
   * What the folder holds once loaded.
   *
   * @param jobs every job, in submission order
   * @param outbox the outbox, oldest first
   * @param lastBatch the number of the last batch applied
   * @param lastToken the highest fencing token stored
   * @param unapplied a batch left by a crash that could not be applied again now (a full disk): its
   *     changes are in the other fields, and its file stays for the next write to apply
   */
  public record Loaded(
      List<JobFile> jobs,
      List<BatchFile.OutboxMark> outbox,
      long lastBatch,
      long lastToken,
      Optional<BatchFile> unapplied) {}

  /** A loader of {@code folder} that sets aside files over {@code cap} bytes. */
  public StoreLoader(StoreFolder folder, long cap) {
    this.folder = folder;
    this.cap = cap;
  }

  /** Loads the folder, replaying a batch left by a crash. */
  public Loaded load() throws IOException {
    long lastBatch = 0;
    long lastToken = 0;
    boolean metaRead = false;
    Path meta = folder.root().resolve(StoreFolder.META);
    setAsideTemps(folder.root());
    if (Files.exists(meta, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Fields f = StoreJson.read(DiskFiles.read(meta, cap), "store.json");
        lastBatch = f.number("lastBatch");
        lastToken = f.number("lastToken");
        if (f.has("adoptedBy")) {
          folder.adoptionRead(
              Optional.of(new StoreFolder.Adoption(f.text("adoptedBy"), f.instant("adoptedAt"))));
        }
        metaRead = true;
      } catch (IOException e) {
        setAside(meta, e);
      }
    }
    Map<String, JobFile> jobs = new HashMap<>();
    for (Path list : folder.lists()) {
      for (Path p : entries(list)) {
        readJob(list, p).ifPresent(jf -> keepNewer(jobs, jf));
      }
    }
    Map<String, BatchFile.OutboxMark> outbox = new LinkedHashMap<>();
    for (Path p : entries(folder.outbox())) {
      try {
        BatchFile.OutboxMark m = BatchFile.OutboxMark.read(DiskFiles.read(p, cap));
        if (!folder.outboxMark(m.jobId()).equals(p)) {
          throw new BadFileException("the mark of job '" + m.jobId() + "' under another name");
        }
        outbox.put(m.jobId(), m);
      } catch (IOException e) {
        setAside(p, e);
      }
    }
    Optional<BatchFile> unapplied = Optional.empty();
    Path batch = folder.batchFile();
    if (Files.exists(batch, LinkOption.NOFOLLOW_LINKS)) {
      Optional<BatchFile> b = Optional.empty();
      try {
        b = Optional.of(BatchFile.read(DiskFiles.read(batch, cap)));
      } catch (IOException e) {
        setAside(batch, e);
      }
      if (b.isPresent()) {
        BatchFile bf = b.get();
        if (bf.number() > lastBatch || !metaRead) {
          log.info(
              "job store {}: applying batch {} again ({} jobs), left by a crash",
              folder.root(),
              bf.number(),
              bf.jobs().size());
          try {
            folder.apply(bf, true);
            folder.finish();
          } catch (IOException e) {
            log.warn(
                "job store {}: could not apply batch {} again now ({}); the next write does",
                folder.root(),
                bf.number(),
                e.toString());
            unapplied = b;
          }
          bf.jobs().forEach(e -> jobs.put(e.file().job().id().value(), e.file()));
          bf.outbox().forEach(m -> outbox.putIfAbsent(m.jobId(), m));
          lastBatch = Math.max(lastBatch, bf.number());
          lastToken = Math.max(lastToken, bf.lastToken());
        } else {
          folder.finish();
        }
      }
    }
    List<JobFile> sorted = new ArrayList<>(jobs.values());
    sorted.sort(Comparator.comparingLong(JobFile::seq));
    if (!metaRead) {
      for (JobFile jf : sorted) {
        lastToken = Math.max(lastToken, jf.highestToken());
      }
    }
    List<BatchFile.OutboxMark> marks = new ArrayList<>(outbox.values());
    marks.sort(Comparator.comparingLong(BatchFile.OutboxMark::seq));
    Optional<StoreFolder.Adoption> adoption = folder.adoption();
    if (adoption.isPresent()) {
      StoreFolder.Adoption a = adoption.get();
      for (int i = 0; i < sorted.size(); i++) {
        JobFile jf = sorted.get(i);
        if (!jf.job().status().isFinal() && jf.run().adoptedAt().isBefore(a.at())) {
          sorted.set(i, jf.withRun(new RunRef(jf.run().id(), a.core(), a.at())));
        }
      }
    }
    return new Loaded(sorted, marks, lastBatch, lastToken, unapplied);
  }

  private Optional<JobFile> readJob(Path list, Path p) {
    try {
      JobFile jf = JobFile.read(DiskFiles.read(p, cap));
      String id = jf.job().id().value();
      if (!StoreFolder.jobFile(list, id).equals(p)) {
        throw new BadFileException("job '" + id + "' stored under another job's name");
      }
      if (!folder.listFor(jf.job().status()).equals(list)) {
        throw new BadFileException(
            "a " + jf.job().status() + " job in " + list.getFileName() + "/");
      }
      return Optional.of(jf);
    } catch (IOException | RuntimeException e) {
      setAside(p, e);
      return Optional.empty();
    }
  }

  private void keepNewer(Map<String, JobFile> jobs, JobFile jf) {
    String id = jf.job().id().value();
    JobFile other = jobs.get(id);
    if (other == null) {
      jobs.put(id, jf);
      return;
    }
    JobFile older = other.version() >= jf.version() ? jf : other;
    JobFile newer = older == jf ? other : jf;
    jobs.put(id, newer);
    Path stale = StoreFolder.jobFile(folder.listFor(older.job().status()), id);
    try {
      DiskFiles.delete(stale);
      log.info("job store {}: removed {}, an older copy of job '{}'", folder.root(), stale, id);
    } catch (IOException e) {
      log.warn("job store {}: could not remove {}, an older copy: {}", folder.root(), stale, e);
    }
  }

  private List<Path> entries(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        if (DiskFiles.isTemp(name)) {
          setAside(p, new BadFileException("a temporary file left by a crash"));
        } else if (!name.endsWith(".json") || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          setAside(p, new BadFileException("not a file this store writes"));
        } else {
          out.add(p);
        }
      }
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  private void setAsideTemps(Path dir) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        if (DiskFiles.isTemp(p.getFileName().toString())) {
          setAside(p, new BadFileException("a temporary file left by a crash"));
        }
      }
    }
  }

  private void setAside(Path file, Exception problem) {
    String why = problem.getMessage() == null ? problem.toString() : problem.getMessage();
    Path rel = folder.root().relativize(file);
    String base = rel.toString().replace(rel.getFileSystem().getSeparator(), "_");
    Path target = folder.corrupt().resolve(base + "." + Instant.now().toEpochMilli());
    for (int i = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); i++) {
      target = folder.corrupt().resolve(base + "." + Instant.now().toEpochMilli() + "-" + i);
    }
    try {
      Files.move(file, target);
      DiskFiles.forceFolder(folder.corrupt());
      log.warn("job store {}: set aside {} into corrupt/: {}", folder.root(), rel, why);
    } catch (IOException e) {
      log.warn(
          "job store {}: skipped {} ({}), and could not set it aside: {}",
          folder.root(),
          rel,
          why,
          e.toString());
    }
  }
}
