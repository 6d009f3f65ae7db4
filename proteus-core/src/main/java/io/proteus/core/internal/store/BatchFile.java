package io.proteus.core.internal.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proteus.model.TaskResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One write of the store as a whole: the commit point of a batch. Its file ({@code batch.json})
 * holds every job file the batch writes in full, the outbox marks it adds and the token, so
 * applying it again after a crash gives the same files.
 *
 * @param number the batch's number; {@code store.json} names the last one applied
 * @param lastToken the highest fencing token once the batch is applied
 * @param at when it was written
 * @param jobs the jobs it writes
 * @param outbox the outbox marks it adds
 */
public record BatchFile(
    long number, long lastToken, Instant at, List<Entry> jobs, List<OutboxMark> outbox) {

  /** Copies the lists. */
  public BatchFile {
    jobs = List.copyOf(jobs);
    outbox = List.copyOf(outbox);
  }

  /** The name of the file in the store's folder. */
  public static final String NAME = "batch.json";

  /**
   * One job of a batch.
   *
   * @param file the job's new file
   * @param event {@code write} for the core's writes, {@code adopt} when a core adopts the run
   * @param changed the indexes of the tasks the write changed, for the journal
   */
  public record Entry(JobFile file, String event, List<Integer> changed) {
    /** Copies the list. */
    public Entry {
      changed = List.copyOf(changed);
    }

    /** The journal's line for this write. */
    public byte[] journalLine(long batch, Instant at, boolean toOutbox) {
      ObjectNode o = StoreJson.object();
      o.put("at", at.toString());
      o.put("batch", batch);
      o.put("version", file.version());
      o.put("event", event);
      o.put("status", file.job().status().name());
      o.put("run", file.run().toString());
      ArrayNode tasks = o.putArray("tasks");
      for (int i : changed) {
        if (i >= 0 && i < file.job().tasks().size()) {
          TaskResult t = file.job().tasks().get(i);
          ObjectNode x = tasks.addObject();
          x.put("index", i);
          x.put("status", t.status().name());
          x.put("attempts", t.attempts().size());
        }
      }
      if (toOutbox) {
        o.put("outbox", true);
      }
      return StoreJson.bytes(o);
    }
  }

  /**
   * A job waiting in the outbox.
   *
   * @param jobId the job
   * @param seq its place in the outbox's order
   */
  public record OutboxMark(String jobId, long seq) {
    /** The marker file's JSON. */
    public byte[] toBytes() {
      ObjectNode o = StoreJson.object();
      o.put("format", StoreJson.FORMAT);
      o.put("id", jobId);
      o.put("seq", seq);
      return StoreJson.bytes(o);
    }

    /** Reads a marker file. */
    public static OutboxMark read(byte[] bytes) throws BadFileException {
      Fields f = StoreJson.read(bytes, "outbox mark");
      return of(f);
    }

    static OutboxMark of(Fields f) throws BadFileException {
      return new OutboxMark(f.text("id"), f.number("seq"));
    }
  }

  /** The file's bytes. */
  public byte[] toBytes() {
    ObjectNode o = StoreJson.object();
    o.put("format", StoreJson.FORMAT);
    o.put("number", number);
    o.put("lastToken", lastToken);
    o.put("at", at.toString());
    ArrayNode js = o.putArray("jobs");
    for (Entry e : jobs) {
      ObjectNode x = js.addObject();
      x.put("event", e.event());
      ArrayNode c = x.putArray("changed");
      e.changed().forEach(c::add);
      x.set("file", e.file().toJson());
    }
    ArrayNode out = o.putArray("outbox");
    for (OutboxMark m : outbox) {
      ObjectNode x = out.addObject();
      x.put("id", m.jobId());
      x.put("seq", m.seq());
    }
    return StoreJson.bytes(o);
  }

  /** Reads a batch file. */
  public static BatchFile read(byte[] bytes) throws BadFileException {
    Fields f = StoreJson.read(bytes, "batch");
    List<Entry> jobs = new ArrayList<>();
    for (Fields x : f.objects("jobs")) {
      List<Integer> changed = new ArrayList<>();
      for (var n : x.raw("changed")) {
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
          throw new BadFileException("batch.jobs[].changed holds something other than indexes");
        }
        changed.add(n.intValue());
      }
      jobs.add(new Entry(JobFile.of(x.object("file")), x.text("event"), changed));
    }
    List<OutboxMark> outbox = new ArrayList<>();
    for (Fields x : f.objects("outbox")) {
      outbox.add(OutboxMark.of(x));
    }
    return new BatchFile(f.number("number"), f.number("lastToken"), f.instant("at"), jobs, outbox);
  }
}
