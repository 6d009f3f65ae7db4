package io.proteus.mqtt.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proteus.model.JobId;
import io.proteus.model.TaskId;
import io.proteus.spi.transport.CoreMessage;

/** The core's messages on the wire, and the core's retained status. */
public final class CoreWire {
  private CoreWire() {}

  /**
   * The core's status as retained on its status topic.
   *
   * @param online whether the core is connected
   * @param incarnation new for each connection of the core: agents say hello again when it changes
   */
  public record Status(boolean online, String incarnation) {}

  /** {@code message} as bytes. */
  public static byte[] write(CoreMessage message) {
    ObjectNode o =
        switch (message) {
          case CoreMessage.Dispatch d -> {
            ObjectNode n = Wire.envelope("dispatch").put("token", d.token());
            n.putObject("task").put("job", d.task().job().value()).put("index", d.task().index());
            n.put("attempt", d.attempt())
                .put("platform", d.platform())
                .put("timeoutMs", d.timeout().toMillis());
            Values.test(n.putObject("test"), d.test());
            Values.files(n.putObject("files"), d.files());
            yield n;
          }
          case CoreMessage.Abort a ->
              Wire.envelope("abort").put("token", a.token()).put("reason", a.reason());
          case CoreMessage.ResultAck r -> Wire.envelope("resultAck").put("token", r.token());
          case CoreMessage.Rejoin r -> Wire.envelope("rejoin").put("reason", r.reason());
        };
    return Wire.bytes(o);
  }

  /** Reads one core's message, checked; {@code maxBytes} bounds its size. */
  public static CoreMessage read(byte[] payload, int maxBytes) throws WireException {
    try {
      Fields f = Wire.read(payload, maxBytes);
      String type = f.text("type");
      return switch (type) {
        case "dispatch" -> {
          Fields task = f.object("task");
          yield new CoreMessage.Dispatch(
              f.number("token"),
              new TaskId(new JobId(task.text("job")), task.smallNumber("index")),
              f.smallNumber("attempt"),
              Values.test(f.object("test")),
              f.text("platform"),
              f.millis("timeoutMs"),
              Values.files(f.object("files")));
        }
        case "abort" -> new CoreMessage.Abort(f.number("token"), f.text("reason"));
        case "resultAck" -> new CoreMessage.ResultAck(f.number("token"));
        case "rejoin" -> new CoreMessage.Rejoin(f.text("reason"));
        default -> throw Wire.unknownType(type);
      };
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new WireException(
          WireException.Kind.MALFORMED, "a field is not valid: " + e.getMessage(), e);
    }
  }

  /** The core's status as bytes. */
  public static byte[] status(Status status) {
    return Wire.bytes(
        Wire.envelope("core")
            .put("state", status.online() ? "online" : "offline")
            .put("incarnation", status.incarnation()));
  }

  /** Reads the core's status. */
  public static Status readStatus(byte[] payload, int maxBytes) throws WireException {
    Fields f = Wire.read(payload, maxBytes);
    if (!f.text("type").equals("core")) {
      throw Wire.unknownType(f.text("type"));
    }
    String state = f.text("state");
    if (!state.equals("online") && !state.equals("offline")) {
      throw Fields.bad("state", "is not online or offline");
    }
    return new Status(state.equals("online"), f.text("incarnation"));
  }
}
