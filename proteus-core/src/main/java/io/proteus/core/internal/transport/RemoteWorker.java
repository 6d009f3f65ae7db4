package io.proteus.core.internal.transport;

import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.AbortRequest;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Worker;
import io.proteus.spi.WorkerContext;
import io.proteus.spi.WorkerEvents;
import io.proteus.spi.transport.AgentMessage;
import io.proteus.spi.transport.CoreMessage;
import io.proteus.spi.transport.CoreTransport;
import io.proteus.spi.transport.FilesPublisher;
import io.proteus.spi.transport.FilesRef;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's worker for one session of a remote agent: its dispatches and aborts become messages on
 * the transport, and the agent's messages become the core's worker events. Any reply about an
 * attempt whose accept has not arrived (a reordered or lost accept) counts as its accept, since
 * only an agent that took the attempt can report on it; a rejection does not. Each attempt's end is
 * acknowledged once the core has handled and stored it. Loop thread only.
 */
final class RemoteWorker implements Worker {
  private static final Logger log = LoggerFactory.getLogger(RemoteWorker.class);

  /** How many dispatched attempts it remembers waiting for their accept. */
  static final int AWAITED = 64;

  private final String session;
  private final WorkerDescriptor descriptor;
  private final CoreTransport transport;
  private final FilesPublisher publisher;
  private final Set<Long> awaitingAccept = new LinkedHashSet<>();
  private final Map<Long, DispatchRequest> attempts = new LinkedHashMap<>();
  private @Nullable WorkerEvents events;

  RemoteWorker(
      String session, WorkerDescriptor descriptor, CoreTransport transport, FilesPublisher files) {
    this.session = session;
    this.descriptor = descriptor;
    this.transport = transport;
    this.publisher = files;
  }

  String session() {
    return session;
  }

  @Override
  public WorkerDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public void start(WorkerContext context) {
    this.events = context.events();
  }

  @Override
  public void dispatch(DispatchRequest request) {
    FilesRef files =
        publisher.publish(
            new FilesPublisher.Request(request.task().job(), request.files(), needs(request)));
    attempts.put(request.fencingToken(), request);
    if (attempts.size() > AWAITED) {
      attempts.remove(attempts.keySet().iterator().next());
    }
    awaitingAccept.add(request.fencingToken());
    if (awaitingAccept.size() > AWAITED) {
      awaitingAccept.remove(awaitingAccept.iterator().next());
    }
    transport.send(descriptor.id(), CoreMessage.Dispatch.of(request, files));
  }

  private static Set<String> needs(DispatchRequest request) {
    Set<String> paths = new HashSet<>();
    paths.add(request.test().binary());
    request.test().scenario().ifPresent(paths::add);
    return paths;
  }

  @Override
  public void abort(AbortRequest request) {
    send(new CoreMessage.Abort(request.fencingToken(), request.reason()));
  }

  /** Tells the agent to abort an attempt the core does not run on it. */
  void abortStale(long token) {
    send(new CoreMessage.Abort(token, "the core does not run this attempt on this agent"));
  }

  @Override
  public void stop() {}

  /** What the agent said, for this session. */
  void onMessage(AgentMessage message) {
    WorkerEvents ev = Objects.requireNonNull(events, "not started");
    switch (message) {
      case AgentMessage.Accepted a -> {
        awaitingAccept.remove(a.token());
        ev.accepted(a.token());
      }
      case AgentMessage.Progressed p -> {
        impliedAccept(ev, p.token());
        ev.progressed(p.token(), p.phase());
      }
      case AgentMessage.Completed c -> {
        impliedAccept(ev, c.token());
        ev.completed(c.token(), withKeptLog(c.token(), c.report()));
        acknowledgeWhenHandled(ev, c.token());
      }
      case AgentMessage.Failed f -> {
        awaitingAccept.remove(f.token());
        ev.failed(f.token(), f.failure(), keptLog(f.token(), f.log()));
        acknowledgeWhenHandled(ev, f.token());
      }
      case AgentMessage.Released r -> {
        awaitingAccept.remove(r.token());
        ev.released(r.token(), keptLog(r.token(), r.log()));
        acknowledgeWhenHandled(ev, r.token());
      }
      case AgentMessage.Output o -> ev.output(o.token(), o.lines(), o.dropped());
      case AgentMessage.Heartbeat h -> ev.heartbeat();
      case AgentMessage.Draining d -> ev.draining(d.deadline(), d.reason());
      case AgentMessage.Bye b -> ev.lost("the agent left: " + b.reason());
      case AgentMessage.Hello h -> log.debug("hello of {} handled by the hub", descriptor.id());
    }
  }

  /** The agent's link is gone. */
  void lost(String reason) {
    WorkerEvents ev = events;
    if (ev != null) {
      ev.lost(reason);
    }
  }

  /** The log the core keeps for this attempt, if the agent uploaded one, else what it said. */
  private Optional<String> keptLog(long token, Optional<String> reported) {
    DispatchRequest r = attempts.remove(token);
    if (r == null) {
      return reported;
    }
    try {
      Optional<String> kept = publisher.keptLog(r.task().job(), r.task().index(), r.attempt());
      return kept.isPresent() ? kept : reported;
    } catch (RuntimeException e) {
      log.warn(
          "the files publisher could not say where attempt {}'s log is: {}", token, e.toString());
      return reported;
    }
  }

  private AttemptReport withKeptLog(long token, AttemptReport report) {
    Optional<String> log = keptLog(token, report.log());
    return log.equals(report.log())
        ? report
        : new AttemptReport(report.exitCode(), report.cases(), log, report.elapsed());
  }

  private void impliedAccept(WorkerEvents ev, long token) {
    if (awaitingAccept.remove(token)) {
      ev.accepted(token);
    }
  }

  private void acknowledgeWhenHandled(WorkerEvents ev, long token) {
    ev.handled().thenRun(() -> send(new CoreMessage.ResultAck(token)));
  }

  private void send(CoreMessage message) {
    try {
      transport.send(descriptor.id(), message);
    } catch (RuntimeException e) {
      log.warn(
          "could not send {} to agent {}: {}",
          message.getClass().getSimpleName(),
          descriptor.id(),
          e.toString());
    }
  }
}
