package io.proteus.core.agent;

import io.proteus.spi.transport.AgentLink;
import io.proteus.spi.transport.AgentLinkContext;
import io.proteus.spi.transport.AgentMessage;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A link the test drives: it records what the agent sends and says when a session is up. */
final class TestLink implements AgentLink {
  final List<AgentMessage> sent = new CopyOnWriteArrayList<>();
  volatile AgentLinkContext context;
  volatile boolean closed;
  volatile Consumer<AgentMessage> onSend = m -> {};

  @Override
  public void connect(AgentLinkContext linkContext) {
    this.context = linkContext;
  }

  AgentLinkContext context() {
    return Objects.requireNonNull(context, "not connected");
  }

  @Override
  public void send(AgentMessage message) {
    onSend.accept(message);
    sent.add(message);
  }

  @Override
  public void close() {
    closed = true;
  }

  <T> List<T> sent(Class<T> type) {
    return sent.stream().filter(type::isInstance).map(type::cast).toList();
  }

  long endsOf(long token) {
    return sent.stream()
        .filter(m -> AgentMessage.endToken(m).map(t -> t == token).orElse(false))
        .count();
  }
}
