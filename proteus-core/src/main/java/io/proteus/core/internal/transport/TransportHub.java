package io.proteus.core.internal.transport;

import io.proteus.core.internal.engine.CoreEngine;
import io.proteus.core.internal.loop.EventLoop;
import io.proteus.spi.transport.AgentMessage;
import io.proteus.spi.transport.CoreMessage;
import io.proteus.spi.transport.CoreTransport;
import io.proteus.spi.transport.CoreTransportContext;
import io.proteus.spi.transport.FilesPublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's side of one transport: every message and loss it reports is posted to the loop, where
 * an agent's hello joins it as a worker (a new one, or the one of its id on a new link, whose stale
 * attempts are aborted), and its other messages go to the worker of its current session. An agent
 * the core does not know, or took for lost, is asked to say hello again, at most every few seconds.
 * A hello of one of an agent's last eight replaced sessions is a late duplicate and is ignored. At
 * most {@link #MAX_QUEUED} messages wait for the loop; beyond that, messages are dropped (the
 * agreements recover) and the drop is logged.
 */
public final class TransportHub implements CoreTransportContext {
  private static final Logger log = LoggerFactory.getLogger(TransportHub.class);

  /** How many of this transport's messages may wait for the loop at once. */
  static final int MAX_QUEUED = 100_000;

  /** How many agents one transport may join. */
  static final int MAX_AGENTS = 100_000;

  private static final int PAST_SESSIONS = 8;

  /** How often an agent is asked to say hello again, at most. */
  static final Duration REJOIN_EVERY = Duration.ofSeconds(5);

  private final EventLoop loop;
  private final CoreEngine engine;
  private final CoreTransport transport;
  private final FilesPublisher publisher;
  private final Clock clock;
  private final AtomicInteger queued = new AtomicInteger();
  private final Map<String, RemoteWorker> sessions = new HashMap<>();
  private final Map<String, Long> askedAt = new HashMap<>();
  private final Map<String, ArrayDeque<String>> pastSessions = new HashMap<>();
  private volatile boolean dropping;

  /** A hub for {@code transport}, posting to {@code loop} and joining agents to {@code engine}. */
  public TransportHub(
      EventLoop loop,
      CoreEngine engine,
      CoreTransport transport,
      FilesPublisher publisher,
      Clock clock) {
    this.loop = loop;
    this.engine = engine;
    this.transport = transport;
    this.publisher = publisher;
    this.clock = clock;
  }

  @Override
  public void received(String agentId, AgentMessage message) {
    post(() -> onMessage(agentId, message));
  }

  @Override
  public void lost(String agentId, String reason) {
    post(() -> onLost(agentId, null, reason));
  }

  @Override
  public void lost(String agentId, String session, String reason) {
    post(() -> onLost(agentId, session, reason));
  }

  @Override
  public Clock clock() {
    return clock;
  }

  private void post(Runnable event) {
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      if (!dropping) {
        dropping = true;
        log.warn("over {} transport messages wait for the core; dropping some", MAX_QUEUED);
      }
      return;
    }
    loop.post(() -> {
      queued.decrementAndGet();
      dropping = false;
      try {
        event.run();
      } catch (RuntimeException e) {
        log.error("a transport message failed in the core; the core goes on", e);
      }
    });
  }

  private void onMessage(String agentId, AgentMessage message) {
    if (message instanceof AgentMessage.Hello h) {
      hello(agentId, h);
      return;
    }
    RemoteWorker w = sessions.get(agentId);
    if (w == null) {
      askRejoin(agentId, "the core does not know this agent's session");
      return;
    }
    w.onMessage(message);
    if (message instanceof AgentMessage.Heartbeat && engine.lostWorker(agentId)) {
      askRejoin(agentId, "the core took this agent for lost");
    }
  }

  private void hello(String agentId, AgentMessage.Hello h) {
    if (!h.descriptor().id().equals(agentId)) {
      log.warn("ignored a hello from {} that names agent {}", agentId, h.descriptor().id());
      return;
    }
    if (h.protocolVersion() != AgentMessage.Hello.PROTOCOL_VERSION) {
      log.warn(
          "ignored agent {}: it speaks protocol {}, this core {}",
          agentId,
          h.protocolVersion(),
          AgentMessage.Hello.PROTOCOL_VERSION);
      return;
    }
    RemoteWorker current = sessions.get(agentId);
    if (current != null && current.session().equals(h.session())) {
      log.debug("duplicate hello of agent {} ignored", agentId);
      return;
    }
    ArrayDeque<String> past = pastSessions.get(agentId);
    if (past != null && past.contains(h.session())) {
      log.debug("late hello of an old session of agent {} ignored", agentId);
      return;
    }
    if (current == null && sessions.size() >= MAX_AGENTS) {
      log.warn("ignored agent {}: this transport has {} agents already", agentId, MAX_AGENTS);
      return;
    }
    RemoteWorker w = new RemoteWorker(h.session(), h.descriptor(), transport, publisher);
    Optional<Set<Long>> stale = engine.join(w, h.held(), this);
    if (stale.isEmpty()) {
      log.warn("ignored agent {}: a worker of that id is registered apart from it", agentId);
      return;
    }
    RemoteWorker replaced = sessions.put(agentId, w);
    if (replaced != null) {
      ArrayDeque<String> old = pastSessions.computeIfAbsent(agentId, k -> new ArrayDeque<>());
      old.addLast(replaced.session());
      if (old.size() > PAST_SESSIONS) {
        old.removeFirst();
      }
    }
    askedAt.remove(agentId);
    log.info(
        "agent {} joined (session {}, holding {}){}",
        agentId,
        h.session(),
        h.held(),
        stale.get().isEmpty() ? "" : "; aborting its stale attempts " + stale.get());
    stale.get().forEach(w::abortStale);
  }

  private void onLost(String agentId, @Nullable String session, String reason) {
    RemoteWorker w = sessions.get(agentId);
    if (w == null || (session != null && !session.equals(w.session()))) {
      log.debug("loss of an old session of agent {} ignored", agentId);
      return;
    }
    w.lost(reason);
  }

  private void askRejoin(String agentId, String why) {
    long now = loop.nanos();
    Long last = askedAt.get(agentId);
    if (last != null && now - last < REJOIN_EVERY.toNanos()) {
      return;
    }
    if (askedAt.size() >= MAX_AGENTS) {
      askedAt.clear();
    }
    askedAt.put(agentId, now);
    try {
      transport.send(agentId, new CoreMessage.Rejoin(why));
    } catch (RuntimeException e) {
      log.warn("could not ask agent {} to join again: {}", agentId, e.toString());
    }
  }
}
