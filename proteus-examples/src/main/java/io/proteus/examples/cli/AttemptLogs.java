package io.proteus.examples.cli;

import io.proteus.core.internal.util.Slugs;
import io.proteus.model.AttemptRecord;
import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Copies every attempt's log (passed, failed, timed out or killed) under the reports folder, as
 * {@code logs/<job>/<task>-<test>-a<attempt>.log}, and points the results at the copies, so the
 * logs outlive the run's work folder.
 */
final class AttemptLogs {
  private AttemptLogs() {}

  static List<JobResult> copyUnder(List<JobResult> results, Path outDir) throws IOException {
    List<JobResult> out = new ArrayList<>();
    for (JobResult job : results) {
      List<TaskResult> tasks = new ArrayList<>();
      for (TaskResult t : job.tasks()) {
        List<AttemptRecord> attempts = new ArrayList<>();
        Optional<String> last = Optional.empty();
        for (AttemptRecord a : t.attempts()) {
          Optional<String> copy = copy(a, job, t, outDir);
          attempts.add(a.withLog(copy.or(a::log)));
          if (copy.isPresent()) {
            last = copy;
          }
        }
        tasks.add(
            new TaskResult(
                t.id(),
                t.testName(),
                t.platform(),
                t.status(),
                attempts,
                t.reason(),
                t.cases(),
                t.exitCode(),
                last.or(t::log)));
      }
      out.add(
          new JobResult(
              job.id(),
              job.adapter(),
              job.buildId(),
              job.plan(),
              job.platform(),
              job.status(),
              tasks,
              job.submitted(),
              job.finished()));
    }
    return out;
  }

  private static Optional<String> copy(AttemptRecord a, JobResult job, TaskResult t, Path outDir)
      throws IOException {
    if (a.log().isEmpty()) {
      return Optional.empty();
    }
    Path source = Path.of(a.log().get());
    if (!Files.isRegularFile(source)) {
      return Optional.empty();
    }
    String name = t.id().index() + "-" + slug(t.testName()) + "-a" + a.number() + ".log";
    Path relative = Path.of("logs", job.id().value(), name);
    Path dest = outDir.resolve(relative);
    Files.createDirectories(dest.getParent());
    Files.copy(source, dest, StandardCopyOption.REPLACE_EXISTING);
    return Optional.of(relative.toString().replace('\\', '/'));
  }

  private static String slug(String name) {
    return Slugs.of(name, 60);
  }
}
