package io.proteus.core.report;

import io.proteus.model.AttemptRecord;
import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a finished job as JUnit XML in one {@link JunitFlavour}, streamed through {@code
 * XMLStreamWriter}. Each suite and case has its time (from the attempts and the scenario's own case
 * durations), failures and errors their {@code type} and {@code message}, and the cases with a
 * problem the end of the attempt's log as {@code system-out} (at most {@link #DEFAULT_LOG_TAIL}
 * bytes a log unless told otherwise) and the attempts as {@code system-err}. Names and logs may
 * hold anything: what XML 1.0 forbids is dropped. Immutable.
 */
public final class JunitReport {
  /** How much of the end of a log goes in a report by default: 64 KiB. */
  public static final int DEFAULT_LOG_TAIL = 64 * 1024;

  private final JunitFlavour flavour;
  private final Optional<Path> logBase;
  private final int tailBytes;

  private JunitReport(JunitFlavour flavour, Optional<Path> logBase, int tailBytes) {
    this.flavour = flavour;
    this.logBase = logBase;
    this.tailBytes = tailBytes;
  }

  /** A report in this flavour; logs with relative paths are read from the working folder. */
  public static JunitReport of(JunitFlavour flavour) {
    return new JunitReport(flavour, Optional.empty(), DEFAULT_LOG_TAIL);
  }

  /** This report, reading logs whose paths are relative under {@code base} (the reports folder). */
  public JunitReport withLogsUnder(Path base) {
    return new JunitReport(flavour, Optional.of(base), tailBytes);
  }

  /** This report with at most {@code maxBytes} of each log's end; 0 leaves logs out. */
  public JunitReport withLogTail(int maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    return new JunitReport(flavour, logBase, maxBytes);
  }

  /** The flavour it writes. */
  public JunitFlavour flavour() {
    return flavour;
  }

  /** The job as XML, in a string. */
  public String xml(JobResult job) {
    StringWriter s = new StringWriter();
    try {
      write(job, s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s.toString();
  }

  /** Writes the job as UTF-8 XML to {@code out}, which it flushes but does not close. */
  public void write(JobResult job, OutputStream out) throws IOException {
    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    write(job, w);
    w.flush();
  }

  private void write(JobResult job, Writer out) throws IOException {
    SafeXml x = SafeXml.on(out);
    List<TaskOutcome> tasks = new ArrayList<>();
    for (TaskResult t : job.tasks()) {
      tasks.add(TaskOutcome.of(t));
    }
    switch (flavour) {
      case SUREFIRE -> surefire(job, tasks, x);
      case JUNIT4 -> junit4(job, tasks, x);
    }
    x.finish();
  }

  private static String suiteName(JobResult job) {
    return job.plan().name() + " on " + job.platform();
  }

  private void surefire(JobResult job, List<TaskOutcome> tasks, SafeXml x) throws IOException {
    List<List<JunitCase>> cases = new ArrayList<>();
    Counts n = new Counts();
    Duration time = Duration.ZERO;
    for (TaskOutcome o : tasks) {
      List<JunitCase> cs = JunitCase.of(o);
      cases.add(cs);
      n.add(cs);
      time = time.plus(o.time());
    }
    if (job.finished().isPresent()) {
      Duration wall = Duration.between(job.submitted(), job.finished().get());
      time = wall.isNegative() ? time : wall;
    }
    x.open("testsuite").attr("name", suiteName(job));
    x.attr("time", TaskOutcome.seconds(time)).attr("tests", n.tests).attr("errors", n.errors);
    x.attr("skipped", n.skipped).attr("failures", n.failures);
    x.open("properties");
    jobProperties(job, x);
    for (TaskOutcome o : tasks) {
      String p = o.task.testName() + ".";
      property(x, p + "status", o.task.status().name());
      property(x, p + "attempts", Integer.toString(o.task.attempts().size()));
      if (o.hostname().isPresent()) {
        property(x, p + "hostname", o.hostname().get());
      }
      if (o.started().isPresent()) {
        property(x, p + "timestamp", TaskOutcome.timestamp(o.started().get()));
      }
    }
    x.end();
    for (int i = 0; i < tasks.size(); i++) {
      for (JunitCase c : cases.get(i)) {
        surefireCase(tasks.get(i), c, x);
      }
    }
    x.end();
  }

  private void surefireCase(TaskOutcome o, JunitCase c, SafeXml x) throws IOException {
    caseStart(c, x);
    Optional<JunitCase.Problem> p = c.problem();
    List<AttemptRecord> retried = c.retried(o);
    if (p.isPresent() && p.get().element().equals("failure")) {
      problem(p.get(), x);
      retries("rerunError", retried, c.carriesOutput(), x);
    }
    if (p.isPresent() && p.get().element().equals("skipped")) {
      x.open("skipped").attr("message", p.get().message()).text(p.get().text()).end();
    }
    if (p.isPresent() && p.get().element().equals("error")) {
      problem(p.get(), x);
      retries("rerunError", retried, c.carriesOutput(), x);
    }
    if (c.passed()) {
      retries("flakyError", retried, c.carriesOutput(), x);
    }
    caseOutput(o, c, x);
    x.end();
  }

  private void retries(String element, List<AttemptRecord> attempts, boolean tails, SafeXml x)
      throws IOException {
    for (AttemptRecord a : attempts) {
      x.open(element).attr("message", TaskOutcome.message(a)).attr("type", TaskOutcome.type(a));
      x.textElement("stackTrace", TaskOutcome.line(a));
      if (tails) {
        Optional<String> tail = LogTail.of(a.log(), logBase, tailBytes).filter(t -> !t.isEmpty());
        if (tail.isPresent()) {
          x.textElement("system-out", tail.get());
        }
      }
      x.end();
    }
  }

  private void junit4(JobResult job, List<TaskOutcome> tasks, SafeXml x) throws IOException {
    List<List<JunitCase>> cases = new ArrayList<>();
    Counts total = new Counts();
    Duration time = Duration.ZERO;
    for (TaskOutcome o : tasks) {
      List<JunitCase> cs = JunitCase.of(o);
      cases.add(cs);
      total.add(cs);
      time = time.plus(o.time());
    }
    x.open("testsuites").attr("name", suiteName(job)).attr("time", TaskOutcome.seconds(time));
    x.attr("tests", total.tests).attr("failures", total.failures).attr("errors", total.errors);
    for (int i = 0; i < tasks.size(); i++) {
      TaskOutcome o = tasks.get(i);
      Counts n = new Counts();
      n.add(cases.get(i));
      x.open("testsuite").attr("name", o.task.testName()).attr("tests", n.tests);
      x.attr("failures", n.failures).attr("errors", n.errors).attr("skipped", n.skipped);
      x.attr("time", TaskOutcome.seconds(o.time()));
      x.attr("timestamp", TaskOutcome.timestamp(o.started().orElse(job.submitted())));
      if (o.hostname().isPresent()) {
        x.attr("hostname", o.hostname().get());
      }
      x.attr("id", o.task.id().index());
      x.open("properties");
      jobProperties(job, x);
      property(x, "status", o.task.status().name());
      property(x, "attempts", Integer.toString(o.task.attempts().size()));
      for (AttemptRecord a : o.task.attempts()) {
        property(x, "attempt." + a.number(), TaskOutcome.line(a));
      }
      x.end();
      for (JunitCase c : cases.get(i)) {
        caseStart(c, x);
        if (c.problem().isPresent()) {
          JunitCase.Problem p = c.problem().get();
          if (p.element().equals("skipped")) {
            x.textElement("skipped", p.text());
          } else {
            problem(p, x);
          }
        }
        caseOutput(o, c, x);
        x.end();
      }
      x.end();
    }
    x.end();
  }

  private static void caseStart(JunitCase c, SafeXml x) throws IOException {
    x.open("testcase").attr("name", c.name()).attr("classname", c.classname());
    x.attr("time", TaskOutcome.seconds(c.time()));
  }

  private static void problem(JunitCase.Problem p, SafeXml x) throws IOException {
    x.open(p.element()).attr("message", p.message()).attr("type", p.type()).text(p.text()).end();
  }

  /** The log tail of the attempt that decided the task, and the attempts when there were more. */
  private void caseOutput(TaskOutcome o, JunitCase c, SafeXml x) throws IOException {
    if (!c.carriesOutput()) {
      return;
    }
    Optional<String> tail =
        c.failed()
            ? o.decisive()
                .flatMap(a -> LogTail.of(a.log(), logBase, tailBytes))
                .filter(t -> !t.isEmpty())
            : Optional.empty();
    if (tail.isPresent()) {
      x.textElement("system-out", tail.get());
    }
    if (o.task.attempts().size() > 1 || c.failed()) {
      x.textElement("system-err", o.history());
    }
  }

  private static void jobProperties(JobResult job, SafeXml x) throws IOException {
    property(x, "proteus.job", job.id().value());
    property(x, "proteus.plan", job.plan().name());
    property(x, "proteus.build", job.plan().build());
    property(x, "proteus.platform", job.platform());
    property(x, "proteus.pool", job.plan().pool());
  }

  private static void property(SafeXml x, String name, String value) throws IOException {
    x.leaf("property").attr("name", name).attr("value", value);
  }

  /** Counts of testcases by outcome. */
  private static final class Counts {
    long tests;
    long failures;
    long errors;
    long skipped;

    void add(List<JunitCase> cases) {
      for (JunitCase c : cases) {
        tests++;
        String e = c.problem().map(JunitCase.Problem::element).orElse("");
        switch (e) {
          case "failure" -> failures++;
          case "error" -> errors++;
          case "skipped" -> skipped++;
          default -> {}
        }
      }
    }
  }
}
