package io.proteus.testkit;

import io.proteus.model.JobId;
import io.proteus.model.TaskId;
import io.proteus.model.TestCaseResult;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.Failure;
import io.proteus.spi.transport.AgentMessage;
import io.proteus.spi.transport.CoreMessage;
import io.proteus.spi.transport.FilesRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies of transport messages, re-created record by record with their collections copied deeply,
 * so that what crosses an in-memory transport shares nothing mutable with what was sent, as if it
 * had crossed a wire. Immutable leaves (strings, numbers, durations, enums, a test's container
 * request) are kept.
 */
final class MessageCopies {
  private MessageCopies() {}

  static AgentMessage copy(AgentMessage m) {
    return switch (m) {
      case AgentMessage.Hello h ->
          new AgentMessage.Hello(
              copy(h.descriptor()), h.session(), fresh(h.held()), h.protocolVersion());
      case AgentMessage.Accepted a -> new AgentMessage.Accepted(a.token());
      case AgentMessage.Progressed p -> new AgentMessage.Progressed(p.token(), p.phase());
      case AgentMessage.Completed c -> new AgentMessage.Completed(c.token(), copy(c.report()));
      case AgentMessage.Failed f ->
          new AgentMessage.Failed(
              f.token(),
              new Failure(f.failure().kind(), f.failure().message(), f.failure().retryable()),
              f.log());
      case AgentMessage.Released r -> new AgentMessage.Released(r.token(), r.log());
      case AgentMessage.Output o ->
          new AgentMessage.Output(o.token(), new java.util.ArrayList<>(o.lines()), o.dropped());
      case AgentMessage.Heartbeat h -> new AgentMessage.Heartbeat();
      case AgentMessage.Bye b -> new AgentMessage.Bye(b.reason());
      case AgentMessage.Draining d -> new AgentMessage.Draining(d.deadline(), d.reason());
    };
  }

  static CoreMessage copy(CoreMessage m) {
    return switch (m) {
      case CoreMessage.Dispatch d ->
          new CoreMessage.Dispatch(
              d.token(),
              new TaskId(new JobId(d.task().job().value()), d.task().index()),
              d.attempt(),
              copy(d.test()),
              d.platform(),
              d.timeout(),
              new FilesRef(
                  d.files().location(),
                  d.files().credential(),
                  Map.copyOf(new LinkedHashMap<>(d.files().manifest()))));
      case CoreMessage.Abort a -> new CoreMessage.Abort(a.token(), a.reason());
      case CoreMessage.ResultAck r -> new CoreMessage.ResultAck(r.token());
      case CoreMessage.Rejoin r -> new CoreMessage.Rejoin(r.reason());
    };
  }

  private static WorkerDescriptor copy(WorkerDescriptor d) {
    return new WorkerDescriptor(d.id(), d.pool(), d.platform(), fresh(d.tags()), d.topic());
  }

  private static AttemptReport copy(AttemptReport r) {
    List<TestCaseResult> cases = new ArrayList<>();
    for (TestCaseResult c : r.cases()) {
      cases.add(new TestCaseResult(c.name(), c.status(), c.message(), c.duration(), c.expected()));
    }
    return new AttemptReport(r.exitCode(), cases, r.log(), r.elapsed());
  }

  @SuppressWarnings("unchecked")
  private static TestSpec copy(TestSpec t) {
    return t.toBuilder().metadata((Map<String, Object>) deep(t.metadata())).build();
  }

  /** A deep copy of a JSON-like value: maps and lists are copied, other values kept. */
  static Object deep(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : deep(v)));
      return Collections.unmodifiableMap(out);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(v == null ? null : deep(v)));
      return Collections.unmodifiableList(out);
    }
    return value;
  }

  private static <T> Set<T> fresh(Set<T> set) {
    return Set.copyOf(new ArrayList<>(set));
  }
}
