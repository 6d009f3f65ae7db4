package io.proteus.examples.cli;

import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import java.io.PrintStream;
import java.util.Map;

/** Prints a table per platform: each test's status, attempts and reason. */
final class SummaryTable {
  private SummaryTable() {}

  static void print(Iterable<JobResult> jobs, PrintStream out) {
    for (JobResult job : jobs) {
      out.println();
      out.printf("%s on %s: %s%n", job.plan().name(), job.platform(), job.status());
      out.printf("  %-18s %-22s %-8s %s%n", "TEST", "STATUS", "ATTEMPTS", "REASON");
      for (TaskResult t : job.tasks()) {
        String status = t.status().name();
        if (t.status() != TaskStatus.PASSED && expectedToFail(job, t)) {
          status += " (expected)";
        }
        String reason = t.reason().orElse("");
        if (reason.length() > 70) {
          reason = reason.substring(0, 67) + "...";
        }
        out.printf("  %-18s %-22s %-8d %s%n", t.testName(), status, t.attempts().size(), reason);
      }
      out.printf(
          "  passed %d, failed %d, error %d, cancelled %d%n",
          job.count(TaskStatus.PASSED),
          job.count(TaskStatus.FAILED),
          job.count(TaskStatus.ERROR),
          job.count(TaskStatus.CANCELLED));
    }
  }

  static boolean expectedToFail(JobResult job, TaskResult t) {
    Map<String, Object> meta = job.plan().tests().get(t.id().index()).metadata();
    return Boolean.TRUE.equals(meta.get("expectedToFail"));
  }
}
