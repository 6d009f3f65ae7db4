package io.proteus.core.internal.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proteus.core.store.RunRef;
import io.proteus.model.JobResult;
import io.proteus.spi.StoreBatch.TaskLease;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What the store keeps of one job, the content of its file in {@code pending/}, {@code active/} or
 * {@code archive/}.
 *
 * @param seq the job's place in submission order, given at its first write
 * @param version how many times the job was written; a file with a larger one is newer
 * @param run its run reference
 * @param filesFolder the folder of its build's files, if its batch named one
 * @param leases the last lease written for each task, by index
 * @param job its state
 */
public record JobFile(
    long seq,
    long version,
    RunRef run,
    Optional<Path> filesFolder,
    SortedMap<Integer, TaskLease> leases,
    JobResult job) {

  /** Copies the leases. */
  public JobFile {
    leases = Collections.unmodifiableSortedMap(new TreeMap<>(leases));
  }

  /** The next version of this job: the new state, the folder if given, the leases merged. */
  public JobFile next(JobResult state, Optional<Path> folder, Iterable<TaskLease> changed) {
    TreeMap<Integer, TaskLease> merged = new TreeMap<>(leases);
    changed.forEach(l -> merged.put(l.index(), l));
    return new JobFile(
        seq, version + 1, run, folder.isPresent() ? folder : filesFolder, merged, state);
  }

  /** The same file with another run reference (a new adopter), the same version. */
  public JobFile withRun(RunRef by) {
    return new JobFile(seq, version, by, filesFolder, leases, job);
  }

  /** The file's JSON. */
  public ObjectNode toJson() {
    ObjectNode o = StoreJson.object();
    o.put("format", StoreJson.FORMAT);
    o.put("seq", seq);
    o.put("version", version);
    ObjectNode r = o.putObject("run");
    r.put("id", run.id().toString());
    r.put("adoptedBy", run.adoptedBy());
    r.put("adoptedAt", run.adoptedAt().toString());
    filesFolder.ifPresent(p -> o.put("filesFolder", p.toString()));
    ArrayNode ls = o.putArray("leases");
    for (TaskLease l : leases.values()) {
      ObjectNode x = ls.addObject();
      x.put("index", l.index());
      l.liveToken().ifPresent(t -> x.put("liveToken", t));
      Fields.texts(x, "failedOn", l.failedOn());
    }
    ResultJson.job(o.putObject("job"), job);
    return o;
  }

  /** Reads a file written from {@link #toJson()}. */
  public static JobFile read(byte[] bytes) throws BadFileException {
    return of(StoreJson.read(bytes, "job file"));
  }

  /** Reads one job file's JSON. */
  public static JobFile of(Fields f) throws BadFileException {
    Fields r = f.object("run");
    UUID id;
    try {
      id = UUID.fromString(r.text("id"));
    } catch (IllegalArgumentException e) {
      throw new BadFileException("run.id is not a UUID");
    }
    Optional<Path> folder;
    try {
      folder = f.optText("filesFolder").map(Path::of);
    } catch (InvalidPathException e) {
      throw new BadFileException("filesFolder is not a path here: " + e.getMessage());
    }
    TreeMap<Integer, TaskLease> leases = new TreeMap<>();
    for (Fields l : f.objects("leases")) {
      TaskLease lease =
          new TaskLease(
              l.integer("index"), l.optNumber("liveToken"), new HashSet<>(l.texts("failedOn")));
      leases.put(lease.index(), lease);
    }
    return new JobFile(
        f.number("seq"),
        f.number("version"),
        new RunRef(id, r.text("adoptedBy"), r.instant("adoptedAt")),
        folder,
        leases,
        ResultJson.job(f.object("job")));
  }

  /** The highest fencing token the file names, in its leases and attempts. */
  public long highestToken() {
    long max = 0;
    for (Map.Entry<Integer, TaskLease> e : leases.entrySet()) {
      max = Math.max(max, e.getValue().liveToken().orElse(0L));
    }
    for (var t : job.tasks()) {
      for (var a : t.attempts()) {
        max = Math.max(max, a.fencingToken());
      }
    }
    return max;
  }
}
