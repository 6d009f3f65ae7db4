package io.proteus.core.internal.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.CaseStatus;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.JobStatus;
import io.proteus.model.TaskId;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestCaseResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link JobResult} and everything in it as JSON, one field per record component, named as the
 * component; an absent {@code Optional} is an absent field. A task's id is stored as its index: its
 * job is the job it is in.
 */
final class ResultJson {
  private ResultJson() {}

  /** Writes the job into {@code o}. */
  static void job(ObjectNode o, JobResult j) {
    o.put("id", j.id().value());
    o.put("adapter", j.adapter());
    o.put("buildId", j.buildId());
    PlanJson.plan(o.putObject("plan"), j.plan());
    o.put("platform", j.platform());
    o.put("status", j.status().name());
    ArrayNode tasks = o.putArray("tasks");
    j.tasks().forEach(t -> task(tasks.addObject(), t));
    o.put("submitted", j.submitted().toString());
    j.finished().ifPresent(t -> o.put("finished", t.toString()));
  }

  /** Reads a job written by {@link #job(ObjectNode, JobResult)}. */
  static JobResult job(Fields f) throws BadFileException {
    JobId id = new JobId(f.text("id"));
    List<Fields> stored = f.objects("tasks");
    List<TaskResult> tasks = new ArrayList<>(stored.size());
    for (Fields t : stored) {
      tasks.add(task(id, t));
    }
    return new JobResult(
        id,
        f.text("adapter"),
        f.text("buildId"),
        PlanJson.plan(f.object("plan")),
        f.text("platform"),
        f.named(JobStatus.class, "status"),
        tasks,
        f.instant("submitted"),
        f.optInstant("finished"));
  }

  private static void task(ObjectNode o, TaskResult t) {
    o.put("index", t.id().index());
    o.put("testName", t.testName());
    o.put("platform", t.platform());
    o.put("status", t.status().name());
    ArrayNode attempts = o.putArray("attempts");
    t.attempts().forEach(a -> attempt(attempts.addObject(), a));
    t.reason().ifPresent(s -> o.put("reason", s));
    ArrayNode cases = o.putArray("cases");
    for (TestCaseResult c : t.cases()) {
      ObjectNode x = cases.addObject();
      x.put("name", c.name());
      x.put("status", c.status().name());
      c.message().ifPresent(s -> x.put("message", s));
      x.put("duration", c.duration().toString());
      x.put("expected", c.expected());
    }
    t.exitCode().ifPresent(c -> o.put("exitCode", c));
    t.log().ifPresent(s -> o.put("log", s));
  }

  private static TaskResult task(JobId job, Fields f) throws BadFileException {
    List<AttemptRecord> attempts = new ArrayList<>();
    for (Fields a : f.objects("attempts")) {
      attempts.add(attempt(a));
    }
    List<TestCaseResult> cases = new ArrayList<>();
    for (Fields c : f.objects("cases")) {
      cases.add(
          new TestCaseResult(
              c.text("name"),
              c.named(CaseStatus.class, "status"),
              c.optText("message"),
              c.duration("duration"),
              c.bool("expected")));
    }
    return new TaskResult(
        new TaskId(job, f.integer("index")),
        f.text("testName"),
        f.text("platform"),
        f.named(TaskStatus.class, "status"),
        attempts,
        f.optText("reason"),
        cases,
        f.optInteger("exitCode"),
        f.optText("log"));
  }

  private static void attempt(ObjectNode o, AttemptRecord a) {
    o.put("number", a.number());
    o.put("fencingToken", a.fencingToken());
    o.put("workerId", a.workerId());
    o.put("started", a.started().toString());
    a.finished().ifPresent(t -> o.put("finished", t.toString()));
    a.end().ifPresent(e -> o.put("end", e.name()));
    a.reason().ifPresent(s -> o.put("reason", s));
    a.log().ifPresent(s -> o.put("log", s));
  }

  private static AttemptRecord attempt(Fields f) throws BadFileException {
    return new AttemptRecord(
        f.integer("number"),
        f.number("fencingToken"),
        f.text("workerId"),
        f.instant("started"),
        f.optInstant("finished"),
        f.optNamed(AttemptEnd.class, "end"),
        f.optText("reason"),
        f.optText("log"));
  }
}
