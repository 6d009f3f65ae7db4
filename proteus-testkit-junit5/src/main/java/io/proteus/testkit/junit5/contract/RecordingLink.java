package io.proteus.testkit.junit5.contract;

import io.proteus.spi.transport.AgentLink;
import io.proteus.spi.transport.AgentLinkContext;
import io.proteus.spi.transport.AgentMessage;
import io.proteus.spi.transport.CoreMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An agent link that records, in one order, every message the agent sent and every message it
 * received, around the transport's own link. Thread-safe.
 */
final class RecordingLink implements AgentLink {
  /** One message, and whether the agent sent it or received it. */
  record Seen(boolean sent, Object message) {}

  private final AgentLink inner;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private volatile Consumer<CoreMessage> onReceived = m -> {};
  private volatile Runnable onConnected = () -> {};

  RecordingLink(AgentLink inner) {
    this.inner = inner;
  }

  /** What to do, besides passing it on, with each message the core sends. */
  RecordingLink onReceived(Consumer<CoreMessage> action) {
    this.onReceived = action;
    return this;
  }

  /** What to do, besides passing it on, each time a session is up. */
  RecordingLink onConnected(Runnable action) {
    this.onConnected = action;
    return this;
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  <T> List<T> sent(Class<T> type) {
    return seen.stream()
        .filter(s -> s.sent() && type.isInstance(s.message()))
        .map(s -> type.cast(s.message()))
        .toList();
  }

  <T> List<T> received(Class<T> type) {
    return seen.stream()
        .filter(s -> !s.sent() && type.isInstance(s.message()))
        .map(s -> type.cast(s.message()))
        .toList();
  }

  @Override
  public void connect(AgentLinkContext context) {
    inner.connect(
        new AgentLinkContext() {
          @Override
          public String agentId() {
            return context.agentId();
          }

          @Override
          public void connected() {
            onConnected.run();
            context.connected();
          }

          @Override
          public void received(CoreMessage message) {
            seen.add(new Seen(false, message));
            onReceived.accept(message);
            context.received(message);
          }

          @Override
          public void disconnected(String reason) {
            context.disconnected(reason);
          }
        });
  }

  @Override
  public void send(AgentMessage message) {
    seen.add(new Seen(true, message));
    inner.send(message);
  }

  @Override
  public void close() {
    inner.close();
  }
}
