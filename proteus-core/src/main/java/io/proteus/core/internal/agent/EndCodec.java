package io.proteus.core.internal.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proteus.model.CaseStatus;
import io.proteus.model.TestCaseResult;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.Failure;
import io.proteus.spi.FailureKind;
import io.proteus.spi.transport.AgentMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An attempt's end as the agent keeps it on disk: {@code {"type":"completed"|"failed"|"released",
 * "token":…}} with the report, the failure or the log. Every field is read back checked; a file
 * that does not parse is refused with why.
 */
final class EndCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EndCodec() {}

  static byte[] write(AgentMessage end) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    switch (end) {
      case AgentMessage.Completed c -> {
        n.put("type", "completed").put("token", c.token());
        ObjectNode r = n.putObject("report");
        AttemptReport report = c.report();
        r.put("exitCode", report.exitCode()).put("elapsed", report.elapsed().toString());
        report.log().ifPresent(l -> r.put("log", l));
        ArrayNode cases = r.putArray("cases");
        for (TestCaseResult tc : report.cases()) {
          ObjectNode o = cases.addObject();
          o.put("name", tc.name()).put("status", tc.status().name());
          tc.message().ifPresent(m -> o.put("message", m));
          o.put("duration", tc.duration().toString()).put("expected", tc.expected());
        }
      }
      case AgentMessage.Failed f -> {
        n.put("type", "failed").put("token", f.token());
        n.putObject("failure")
            .put("kind", f.failure().kind().name())
            .put("message", f.failure().message())
            .put("retryable", f.failure().retryable());
        f.log().ifPresent(l -> n.put("log", l));
      }
      case AgentMessage.Released r -> {
        n.put("type", "released").put("token", r.token());
        r.log().ifPresent(l -> n.put("log", l));
      }
      default -> throw new IllegalArgumentException("not an attempt's end: " + end);
    }
    return JSON.writeValueAsBytes(n);
  }

  static AgentMessage read(byte[] bytes) throws IOException {
    JsonNode n = JSON.readTree(bytes);
    if (n == null || !n.isObject()) {
      throw new IOException("not a JSON object");
    }
    long token = number(n, "token");
    return switch (text(n, "type")) {
      case "completed" -> {
        JsonNode r = object(n, "report");
        List<TestCaseResult> cases = new ArrayList<>();
        JsonNode list = r.get("cases");
        if (list == null || !list.isArray()) {
          throw new IOException("report.cases is not a list");
        }
        for (JsonNode o : list) {
          cases.add(
              new TestCaseResult(
                  text(o, "name"),
                  CaseStatus.valueOf(text(o, "status")),
                  optionalText(o, "message"),
                  duration(o, "duration"),
                  bool(o, "expected")));
        }
        yield new AgentMessage.Completed(
            token,
            new AttemptReport(
                (int) number(r, "exitCode"),
                cases,
                optionalText(r, "log"),
                duration(r, "elapsed")));
      }
      case "failed" -> {
        JsonNode f = object(n, "failure");
        yield new AgentMessage.Failed(
            token,
            new Failure(
                FailureKind.valueOf(text(f, "kind")), text(f, "message"), bool(f, "retryable")),
            optionalText(n, "log"));
      }
      case "released" -> new AgentMessage.Released(token, optionalText(n, "log"));
      default -> throw new IOException("unknown type " + text(n, "type"));
    };
  }

  private static JsonNode object(JsonNode n, String field) throws IOException {
    JsonNode v = n.get(field);
    if (v == null || !v.isObject()) {
      throw new IOException(field + " is not an object");
    }
    return v;
  }

  private static String text(JsonNode n, String field) throws IOException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IOException(field + " is not a string");
    }
    return v.asText();
  }

  private static Optional<String> optionalText(JsonNode n, String field) throws IOException {
    return n.has(field) ? Optional.of(text(n, field)) : Optional.empty();
  }

  private static long number(JsonNode n, String field) throws IOException {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new IOException(field + " is not a whole number");
    }
    return v.asLong();
  }

  private static boolean bool(JsonNode n, String field) throws IOException {
    JsonNode v = n.get(field);
    if (v == null || !v.isBoolean()) {
      throw new IOException(field + " is not true or false");
    }
    return v.asBoolean();
  }

  private static Duration duration(JsonNode n, String field) throws IOException {
    try {
      return Duration.parse(text(n, field));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IOException(field + " is not a duration", e);
    }
  }
}
