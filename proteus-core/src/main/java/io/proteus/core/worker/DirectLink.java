package io.proteus.core.worker;

import io.proteus.spi.BuildFiles;
import io.proteus.spi.WorkerEvents;
import io.proteus.spi.transport.AgentLink;
import io.proteus.spi.transport.AgentLinkContext;
import io.proteus.spi.transport.AgentMessage;
import io.proteus.spi.transport.CoreMessage;
import io.proteus.spi.transport.FilesRef;
import io.proteus.spi.transport.FilesResolver;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The in-process link between the agent runtime and the core: the agent's messages become calls on
 * the core's {@link WorkerEvents}, each attempt's end is acknowledged once the core has handled it,
 * and the build's files pass by reference, under a name the link resolves for its own agent.
 */
final class DirectLink implements AgentLink, FilesResolver {
  private final WorkerEvents events;
  private final Map<URI, BuildFiles> files = new ConcurrentHashMap<>();
  private volatile @Nullable AgentLinkContext context;

  DirectLink(WorkerEvents events) {
    this.events = events;
  }

  /** The core's dispatch, as the agent receives it. */
  CoreMessage.Dispatch dispatch(io.proteus.spi.DispatchRequest request) {
    URI name = URI.create("proteus-local:" + request.fencingToken());
    files.put(name, request.files());
    return CoreMessage.Dispatch.of(request, FilesRef.at(name));
  }

  /** Hands a core message to the agent. */
  void deliver(CoreMessage message) {
    Objects.requireNonNull(context, "worker not started").received(message);
  }

  @Override
  public BuildFiles resolve(FilesRef ref) {
    BuildFiles found = files.get(ref.location());
    if (found != null) {
      return found;
    }
    return path -> {
      throw new NoSuchFileException(path, null, "no files for " + ref.location());
    };
  }

  @Override
  public void connect(AgentLinkContext linkContext) {
    this.context = linkContext;
    linkContext.connected();
  }

  @Override
  public void send(AgentMessage message) {
    switch (message) {
      case AgentMessage.Hello h -> events.ready();
      case AgentMessage.Accepted a -> events.accepted(a.token());
      case AgentMessage.Progressed p -> events.progressed(p.token(), p.phase());
      case AgentMessage.Completed c -> {
        forget(c.token());
        events.completed(c.token(), c.report());
        acknowledgeWhenHandled(c.token());
      }
      case AgentMessage.Failed f -> {
        forget(f.token());
        events.failed(f.token(), f.failure(), f.log());
        acknowledgeWhenHandled(f.token());
      }
      case AgentMessage.Released r -> {
        forget(r.token());
        events.released(r.token(), r.log());
        acknowledgeWhenHandled(r.token());
      }
      case AgentMessage.Output o -> events.output(o.token(), o.lines(), o.dropped());
      case AgentMessage.Heartbeat h -> events.heartbeat();
      case AgentMessage.Draining d -> events.draining(d.deadline(), d.reason());
      case AgentMessage.Bye b -> events.lost(b.reason());
    }
  }

  private void forget(long token) {
    files.remove(URI.create("proteus-local:" + token));
  }

  private void acknowledgeWhenHandled(long token) {
    AgentLinkContext c = context;
    if (c != null) {
      events.handled().thenRun(() -> c.received(new CoreMessage.ResultAck(token)));
    }
  }

  @Override
  public void close() {}
}
