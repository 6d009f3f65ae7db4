package io.proteus.core.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proteus.core.internal.util.Slugs;
import io.proteus.model.AttemptRecord;
import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestCaseResult;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes finished jobs as JUnit XML (see {@link JunitReport} and {@link JunitFlavour}), as an HTML
 * report ({@link HtmlReport}) and as a JSON summary whose schema is documented in
 * docs/summary-schema.md. Files are written atomically: a report is either whole under its name or
 * not there.
 */
public final class Reports {
  /** The summary's schema version. */
  public static final int SUMMARY_VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Reports() {}

  /**
   * Writes {@code <job>.junit.xml} per job, in the default {@link JunitFlavour#SUREFIRE} flavour,
   * {@code report.html} (see {@link HtmlReport}) and {@code summary.json} into {@code dir}.
   */
  public static void write(List<JobResult> jobs, Path dir) throws IOException {
    write(jobs, dir, JunitFlavour.SUREFIRE);
  }

  /**
   * Writes {@code <job>.junit.xml} per job in {@code flavour}, {@code report.html} and {@code
   * summary.json} (last) into {@code dir}, each atomically. Logs with relative paths are read under
   * {@code dir}.
   *
   * @throws IOException when a report cannot be written; no half-written file is left under a
   *     report's name
   */
  public static void write(List<JobResult> jobs, Path dir, JunitFlavour flavour)
      throws IOException {
    Files.createDirectories(dir);
    JunitReport junit = JunitReport.of(flavour).withLogsUnder(dir);
    for (JobResult job : jobs) {
      atomicWrite(dir.resolve(fileStem(job) + ".junit.xml"), out -> junit.write(job, out));
    }
    atomicWrite(dir.resolve("report.html"), HtmlReport.html(jobs, dir));
    atomicWrite(dir.resolve("summary.json"), summaryJson(jobs));
  }

  /** A file-name stem for a job: its plan and platform. */
  public static String fileStem(JobResult job) {
    return Slugs.of(job.plan().name() + "-" + job.platform(), 200);
  }

  /** The job as JUnit XML in the default {@link JunitFlavour#SUREFIRE} flavour. */
  public static String junitXml(JobResult job) {
    return junitXml(job, JunitFlavour.SUREFIRE);
  }

  /** The job as JUnit XML in {@code flavour}; see {@link JunitReport}. */
  public static String junitXml(JobResult job, JunitFlavour flavour) {
    return JunitReport.of(flavour).xml(job);
  }

  /** The jobs as the JSON summary. */
  public static String summaryJson(List<JobResult> jobs) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", SUMMARY_VERSION);
    ObjectNode totals = root.putObject("totals");
    for (TaskStatus s :
        List.of(TaskStatus.PASSED, TaskStatus.FAILED, TaskStatus.ERROR, TaskStatus.CANCELLED)) {
      totals.put(s.name().toLowerCase(Locale.ROOT), jobs.stream().mapToLong(j -> j.count(s)).sum());
    }
    totals.put(
        "flaky",
        jobs.stream()
            .flatMap(j -> j.tasks().stream())
            .filter(t -> TaskOutcome.of(t).flaky())
            .count());
    ArrayNode arr = root.putArray("jobs");
    for (JobResult j : jobs) {
      ObjectNode jn = arr.addObject();
      jn.put("id", j.id().value());
      jn.put("plan", j.plan().name());
      jn.put("build", j.plan().build());
      jn.put("platform", j.platform());
      jn.put("pool", j.plan().pool());
      jn.put("status", j.status().name());
      ArrayNode tasks = jn.putArray("tasks");
      for (TaskResult t : j.tasks()) {
        ObjectNode tn = tasks.addObject();
        tn.put("platform", t.platform());
        tn.put("test", t.testName());
        tn.put("status", t.status().name());
        tn.put("attempts", t.attempts().size());
        if (t.reason().isPresent()) {
          tn.put("reason", t.reason().get());
        } else {
          tn.putNull("reason");
        }
        if (t.exitCode().isPresent()) {
          tn.put("exitCode", t.exitCode().get());
        }
        t.log().ifPresent(l -> tn.put("log", l));
        ArrayNode logs = tn.putArray("attemptLogs");
        for (var a : t.attempts()) {
          if (a.log().isPresent()) {
            ObjectNode an = logs.addObject();
            an.put("attempt", a.number());
            an.put("worker", a.workerId());
            a.end().ifPresent(e -> an.put("end", e.name()));
            an.put("log", a.log().get());
          }
        }
        tn.put("flaky", TaskOutcome.of(t).flaky());
        ArrayNode history = tn.putArray("attemptHistory");
        for (AttemptRecord a : t.attempts()) {
          ObjectNode an = history.addObject();
          an.put("number", a.number());
          an.put("worker", a.workerId());
          an.put("started", a.started().toString());
          an.put("finished", a.finished().map(Instant::toString).orElse(null));
          an.put("end", a.end().map(Enum::name).orElse(null));
          an.put("reason", a.reason().orElse(null));
          an.put("log", a.log().orElse(null));
        }
        ArrayNode cases = tn.putArray("cases");
        for (TestCaseResult c : t.cases()) {
          ObjectNode cn = cases.addObject();
          cn.put("name", c.name());
          cn.put("status", c.status().name().toLowerCase(Locale.ROOT));
          c.message().ifPresent(m -> cn.put("message", m));
          cn.put("expected", c.expected());
        }
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the summary", e);
    }
  }

  /** Writes a file through a temporary sibling and a move, so readers never see half of it. */
  public static void atomicWrite(Path file, String content) throws IOException {
    atomicWrite(file, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
  }

  /** What writes a report's bytes. */
  @FunctionalInterface
  public interface Body {
    /** Writes the report to {@code out}; need not close it. */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes a file through a temporary sibling, forced to disk and then moved over {@code file} in
   * one step, so readers never see half of it, nor a crash leave half of it under its name. The
   * temporary file is deleted when anything fails.
   *
   * @throws IOException when the file cannot be written, with the file's path in the message
   */
  public static void atomicWrite(Path file, Body body) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp;
    try {
      String unique = Long.toHexString(ThreadLocalRandom.current().nextLong());
      tmp = Files.createFile(dir.resolve("." + file.getFileName() + "." + unique + ".tmp"));
    } catch (IOException e) {
      throw new IOException("cannot write " + file + ": " + e, e);
    }
    boolean moved = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch))) {
        body.writeTo(out);
        out.flush();
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
    } catch (IOException | UncheckedIOException e) {
      throw new IOException("cannot write " + file + ": " + e, e);
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
