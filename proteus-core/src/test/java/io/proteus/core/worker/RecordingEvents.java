package io.proteus.core.worker;

import io.proteus.model.TaskStatus;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.Failure;
import io.proteus.spi.WorkerEvents;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a worker says, as lines like {@code failed 5 TIMEOUT reason}. */
class RecordingEvents implements WorkerEvents {
  final List<String> seen = new CopyOnWriteArrayList<>();
  final Map<Long, AttemptReport> reports = new ConcurrentHashMap<>();
  final Map<Long, Optional<String>> failedLogs = new ConcurrentHashMap<>();

  @Override
  public void ready() {
    seen.add("ready");
  }

  @Override
  public void accepted(long token) {
    seen.add("accepted " + token);
  }

  @Override
  public void progressed(long token, TaskStatus phase) {
    seen.add(phase + " " + token);
  }

  @Override
  public void completed(long token, AttemptReport r) {
    reports.put(token, r);
    seen.add("completed " + token);
  }

  @Override
  public void failed(long token, Failure f, Optional<String> log) {
    failedLogs.put(token, log);
    seen.add(
        "failed " + token + " " + f.kind() + (f.retryable() ? "" : " final") + " " + f.message());
  }

  @Override
  public void released(long token) {
    seen.add("released " + token);
  }

  @Override
  public void heartbeat() {}

  @Override
  public void lost(String reason) {
    seen.add("lost");
  }

  boolean ended(long token) {
    return seen.contains("completed " + token)
        || seen.contains("released " + token)
        || seen.stream().anyMatch(s -> s.startsWith("failed " + token + " "));
  }

  long count(String line) {
    return seen.stream().filter(line::equals).count();
  }
}
