package io.proteus.mqtt.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proteus.model.TaskStatus;
import io.proteus.spi.transport.AgentMessage;
import java.util.Optional;

/**
 * An agent's messages on the wire, each carrying the id of the link (one MQTT connection's client)
 * that sent it, and the link's last will, {@code gone}, which names only the link.
 */
public final class AgentWire {
  private AgentWire() {}

  /**
   * One message from an agent as read.
   *
   * @param link the sending link's id
   * @param message the message, or empty for the link's last will
   */
  public record Received(String link, Optional<AgentMessage> message) {}

  /** {@code message} from the link {@code link} as bytes. */
  public static byte[] write(String link, AgentMessage message) {
    ObjectNode o =
        switch (message) {
          case AgentMessage.Hello h -> {
            ObjectNode n = Wire.envelope("hello").put("link", link);
            Values.descriptor(n.putObject("agent"), h.descriptor());
            n.put("session", h.session());
            h.held().forEach(n.putArray("held")::add);
            yield n;
          }
          case AgentMessage.Accepted a ->
              Wire.envelope("accepted").put("link", link).put("token", a.token());
          case AgentMessage.Progressed p ->
              Wire.envelope("progressed")
                  .put("link", link)
                  .put("token", p.token())
                  .put("phase", p.phase().name());
          case AgentMessage.Completed c -> {
            ObjectNode n = Wire.envelope("completed").put("link", link).put("token", c.token());
            Values.report(n.putObject("report"), c.report());
            yield n;
          }
          case AgentMessage.Failed f -> {
            ObjectNode n = Wire.envelope("failed").put("link", link).put("token", f.token());
            Values.failure(n.putObject("failure"), f.failure());
            f.log().ifPresent(l -> n.put("log", l));
            yield n;
          }
          case AgentMessage.Released r -> {
            ObjectNode n = Wire.envelope("released").put("link", link).put("token", r.token());
            r.log().ifPresent(l -> n.put("log", l));
            yield n;
          }
          case AgentMessage.Output out -> {
            ObjectNode n = Wire.envelope("output").put("link", link).put("token", out.token());
            out.lines().forEach(n.putArray("lines")::add);
            yield n.put("dropped", out.dropped());
          }
          case AgentMessage.Heartbeat h -> Wire.envelope("heartbeat").put("link", link);
          case AgentMessage.Draining d ->
              Wire.envelope("draining")
                  .put("link", link)
                  .put("deadlineMs", d.deadline().toMillis())
                  .put("reason", d.reason());
          case AgentMessage.Bye b ->
              Wire.envelope("bye").put("link", link).put("reason", b.reason());
        };
    return Wire.bytes(o);
  }

  /** The last will of the link {@code link}, published by the broker when the link is lost. */
  public static byte[] gone(String link) {
    return Wire.bytes(Wire.envelope("gone").put("link", link));
  }

  /** Reads one agent's message, checked; {@code maxBytes} bounds its size. */
  public static Received read(byte[] payload, int maxBytes) throws WireException {
    try {
      Fields f = Wire.read(payload, maxBytes);
      String link = f.text("link");
      String type = f.text("type");
      AgentMessage message =
          switch (type) {
            case "hello" ->
                new AgentMessage.Hello(
                    Values.descriptor(f.object("agent")),
                    f.text("session"),
                    f.numberSet("held"),
                    Wire.VERSION);
            case "accepted" -> new AgentMessage.Accepted(f.number("token"));
            case "progressed" -> {
              TaskStatus phase = Values.named(TaskStatus.class, f, "phase");
              if (phase != TaskStatus.RUNNING && phase != TaskStatus.UPLOADING) {
                throw Fields.bad("phase", "is not RUNNING or UPLOADING");
              }
              yield new AgentMessage.Progressed(f.number("token"), phase);
            }
            case "completed" ->
                new AgentMessage.Completed(f.number("token"), Values.report(f.object("report")));
            case "failed" ->
                new AgentMessage.Failed(
                    f.number("token"), Values.failure(f.object("failure")), f.optionalText("log"));
            case "released" -> new AgentMessage.Released(f.number("token"), f.optionalText("log"));
            case "output" ->
                new AgentMessage.Output(f.number("token"), f.texts("lines"), f.number("dropped"));
            case "heartbeat" -> new AgentMessage.Heartbeat();
            case "draining" -> new AgentMessage.Draining(f.millis("deadlineMs"), f.text("reason"));
            case "bye" -> new AgentMessage.Bye(f.text("reason"));
            case "gone" -> null;
            default -> throw Wire.unknownType(type);
          };
      return new Received(link, Optional.ofNullable(message));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new WireException(
          WireException.Kind.MALFORMED, "a field is not valid: " + e.getMessage(), e);
    }
  }
}
