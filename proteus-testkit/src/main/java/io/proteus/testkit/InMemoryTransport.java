package io.proteus.testkit;

import io.proteus.spi.transport.AgentLink;
import io.proteus.spi.transport.AgentLinkContext;
import io.proteus.spi.transport.AgentMessage;
import io.proteus.spi.transport.CoreMessage;
import io.proteus.spi.transport.CoreTransport;
import io.proteus.spi.transport.CoreTransportContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A transport inside one JVM: the core's end ({@link #core()}) and one link per agent ({@link
 * #link(String)}), joined by a wire thread that delivers copies of each message, never the sent
 * objects. For tests of the agreements, it drops, delays and duplicates messages as a {@link
 * WireFault} says (it keeps each agent's order both ways, as a transport must: a delayed message
 * holds back those sent after it, while the extra copy of a duplicate may come at any later time,
 * as a redelivery does), and cuts links on command: {@link #cut} (a blip the core does not notice),
 * {@link #crash} (the core hears the agent is lost, as from a broker's last will), {@link
 * #restore}, and {@link #coreOutage}/{@link #coreRestored} (every link down, as when the core or
 * the broker is gone). Messages in flight on a link that goes down are lost with it. At most {@link
 * #MAX_IN_FLIGHT} messages are in flight; more are dropped. Build files cross by reference through
 * {@link #files()}. Thread-safe.
 *
 * <pre>{@code
 * InMemoryTransport wire = InMemoryTransport.create();
 * ProteusCore core = ProteusCore.builder()
 *     .transport(wire.core()).filesPublisher(wire.files()).build().start();
 * Agent agent = Agent.builder("a1", platform).files(wire.files()).build();
 * agent.start(wire.link("a1"));
 * }</pre>
 */
public final class InMemoryTransport implements AutoCloseable {
  /** How many messages may be in flight at once. */
  public static final int MAX_IN_FLIGHT = 100_000;

  private final ScheduledThreadPoolExecutor wire;
  private final InMemoryFiles files = new InMemoryFiles();
  private final Map<String, Link> links = new HashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile WireFault fault = WireFault.NONE;
  private @Nullable CoreTransportContext core;
  private boolean coreUp = true;

  private InMemoryTransport() {
    wire =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "proteus-in-memory-wire");
              t.setDaemon(true);
              return t;
            });
  }

  /** A transport with no agent linked yet and no faults. */
  public static InMemoryTransport create() {
    return new InMemoryTransport();
  }

  /** How messages are carried from now on. Default: {@link WireFault#NONE}. */
  public InMemoryTransport faults(WireFault value) {
    this.fault = Objects.requireNonNull(value, "fault");
    return this;
  }

  /** Where the core publishes build files and agents resolve them. */
  public InMemoryFiles files() {
    return files;
  }

  /** The core's end; give it to {@code ProteusCoreBuilder.transport}. */
  public CoreTransport core() {
    return new CoreTransport() {
      @Override
      public void start(CoreTransportContext context) {
        List<Link> up;
        synchronized (InMemoryTransport.this) {
          core = context;
          up = upLinks();
        }
        up.forEach(l -> later(Duration.ZERO, l::connected));
      }

      @Override
      public void send(String agentId, CoreMessage message) {
        Link l;
        synchronized (InMemoryTransport.this) {
          l = links.get(agentId);
        }
        if (l != null) {
          l.carryToAgent(message);
        }
      }

      @Override
      public void stop() {
        synchronized (InMemoryTransport.this) {
          core = null;
        }
      }
    };
  }

  /**
   * A new link for the agent {@code agentId}; give it to the agent's {@code start}. A new link for
   * an id replaces the old one, which goes down.
   */
  public AgentLink link(String agentId) {
    return new Link(agentId);
  }

  /** The agent's link goes down for a while; the core is not told. */
  public void cut(String agentId) {
    down(agentId, false);
  }

  /** The agent's link goes down and the core is told the agent is lost, as by a last will. */
  public void crash(String agentId) {
    down(agentId, true);
  }

  /** The agent's link comes back up: the agent says hello on a new session. */
  public void restore(String agentId) {
    Link l;
    synchronized (this) {
      l = links.get(agentId);
      if (l == null || l.up || l.closed) {
        return;
      }
      l.up = true;
      l.generation++;
      if (core == null || !coreUp) {
        return;
      }
    }
    later(Duration.ZERO, l::connected);
  }

  /** The core's end goes down: every link is down until {@link #coreRestored()}. */
  public void coreOutage() {
    List<Link> up;
    synchronized (this) {
      coreUp = false;
      up = upLinks();
      up.forEach(l -> l.generation++);
    }
    up.forEach(l -> later(Duration.ZERO, () -> l.disconnected("the core is unreachable")));
  }

  /** The core's end is back: every link that is up says hello again. */
  public void coreRestored() {
    List<Link> up;
    synchronized (this) {
      coreUp = true;
      up = core == null ? List.of() : upLinks();
      up.forEach(l -> l.generation++);
    }
    up.forEach(l -> later(Duration.ZERO, l::connected));
  }

  /** Stops the wire: nothing is delivered any more. */
  @Override
  public void close() {
    wire.shutdownNow();
  }

  private void down(String agentId, boolean tellCore) {
    Link l;
    CoreTransportContext c;
    String session;
    synchronized (this) {
      l = links.get(agentId);
      if (l == null || !l.up) {
        return;
      }
      l.up = false;
      l.generation++;
      c = core;
      session = l.session;
    }
    later(Duration.ZERO, () -> l.disconnected(tellCore ? "crashed" : "cut"));
    if (tellCore && c != null) {
      String why = "the agent's link was lost";
      later(
          Duration.ZERO,
          () -> {
            if (session == null) {
              c.lost(agentId, why);
            } else {
              c.lost(agentId, session, why);
            }
          });
    }
  }

  private List<Link> upLinks() {
    List<Link> out = new ArrayList<>();
    for (Link l : links.values()) {
      if (l.up && !l.closed && l.context != null) {
        out.add(l);
      }
    }
    return out;
  }

  private void later(Duration delay, Runnable delivery) {
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT || wire.isShutdown()) {
      inFlight.decrementAndGet();
      return;
    }
    try {
      wire.schedule(
          () -> {
            inFlight.decrementAndGet();
            delivery.run();
          },
          delay.toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      inFlight.decrementAndGet();
    }
  }

  /** One agent's end. */
  private final class Link implements AgentLink {
    final String agentId;
    @Nullable AgentLinkContext context;
    boolean up = true;
    boolean closed;
    long generation;
    @Nullable String session;
    long lastToCore = Long.MIN_VALUE;
    long lastToAgent = Long.MIN_VALUE;

    Link(String agentId) {
      this.agentId = agentId;
    }

    @Override
    public void connect(AgentLinkContext linkContext) {
      Link old;
      boolean now;
      synchronized (InMemoryTransport.this) {
        context = linkContext;
        old = links.put(agentId, this);
        if (old != null && old != this) {
          old.up = false;
          old.generation++;
        }
        now = core != null && coreUp;
      }
      if (now) {
        later(Duration.ZERO, this::connected);
      }
    }

    void connected() {
      AgentLinkContext c = context;
      if (c != null && live()) {
        c.connected();
      }
    }

    void disconnected(String reason) {
      AgentLinkContext c = context;
      if (c != null) {
        c.disconnected(reason);
      }
    }

    private boolean live() {
      synchronized (InMemoryTransport.this) {
        return up && !closed && coreUp && core != null && links.get(agentId) == this;
      }
    }

    @Override
    public void send(AgentMessage message) {
      long gen;
      synchronized (InMemoryTransport.this) {
        if (!live()) {
          return;
        }
        gen = generation;
        if (message instanceof AgentMessage.Hello h) {
          session = h.session();
        }
      }
      List<Duration> delays = fault.carry(WireFault.Direction.TO_CORE, agentId, message).delays();
      for (int i = 0; i < delays.size(); i++) {
        later(
            i == 0 ? inOrder(true, delays.get(i)) : delays.get(i),
            () -> {
              CoreTransportContext c;
              synchronized (InMemoryTransport.this) {
                c = live() && generation == gen ? core : null;
              }
              if (c != null) {
                c.received(agentId, MessageCopies.copy(message));
              }
            });
      }
    }

    /**
     * The delay that delivers a message no sooner than the one sent before it the same way: a
     * transport keeps each agent's order both ways.
     */
    private synchronized Duration inOrder(boolean toCore, Duration delay) {
      long now = System.nanoTime();
      long due = now + delay.toNanos();
      if (toCore) {
        due = Math.max(due, lastToCore);
        lastToCore = due;
      } else {
        due = Math.max(due, lastToAgent);
        lastToAgent = due;
      }
      return Duration.ofNanos(due - now);
    }

    void carryToAgent(CoreMessage message) {
      long gen;
      synchronized (InMemoryTransport.this) {
        if (!live()) {
          return;
        }
        gen = generation;
      }
      List<Duration> delays = fault.carry(WireFault.Direction.TO_AGENT, agentId, message).delays();
      for (int i = 0; i < delays.size(); i++) {
        later(
            i == 0 ? inOrder(false, delays.get(i)) : delays.get(i),
            () -> {
              AgentLinkContext c;
              synchronized (InMemoryTransport.this) {
                c = live() && generation == gen ? context : null;
              }
              if (c != null) {
                c.received(MessageCopies.copy(message));
              }
            });
      }
    }

    @Override
    public void close() {
      synchronized (InMemoryTransport.this) {
        closed = true;
        up = false;
        generation++;
        if (links.get(agentId) == this) {
          links.remove(agentId);
        }
      }
    }
  }
}
