package io.proteus.mqtt.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proteus.mqtt.internal.WireException.Kind;
import java.io.IOException;

/**
 * The wire's JSON: one object per message with the protocol version {@code v} and a {@code type}.
 * Reading is bounded (size, nesting, string and number lengths) and strict about duplicate keys;
 * fields a receiver does not know are ignored so that a newer sender stays readable.
 */
public final class Wire {
  /** The protocol version this side speaks and sends. */
  public static final int VERSION = 1;

  static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxNestingDepth(32)
                      .maxNumberLength(40)
                      .maxStringLength(4 << 20)
                      .build())
              .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .build());

  private Wire() {}

  static ObjectNode envelope(String type) {
    return JSON.createObjectNode().put("v", VERSION).put("type", type);
  }

  static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree that does not write", e);
    }
  }

  /** The message's fields after its size and version are checked. */
  static Fields read(byte[] payload, int maxBytes) throws WireException {
    if (payload.length > maxBytes) {
      throw new WireException(
          Kind.OVERSIZED, payload.length + " bytes, over the limit of " + maxBytes);
    }
    JsonNode node;
    try {
      node = JSON.readTree(payload);
    } catch (IOException e) {
      throw new WireException(Kind.MALFORMED, "not JSON: " + firstLine(e.getMessage()), e);
    }
    Fields f = Fields.of(node, "");
    JsonNode v = f.raw("v");
    if (v == null || !v.isIntegralNumber()) {
      throw new WireException(Kind.MALFORMED, "v is not a whole number");
    }
    if (v.asLong() != VERSION) {
      throw new WireException(
          Kind.VERSION, "protocol version " + v.asText() + ", this side speaks " + VERSION);
    }
    return f;
  }

  static WireException unknownType(String type) {
    return new WireException(Kind.UNKNOWN_TYPE, "unknown type " + quote(type));
  }

  /** {@code s} quoted, with control characters escaped and cut to 80 characters, for a log. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    int n = Math.min(s.length(), 80);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append(s.length() > n ? "…\"" : "\"").toString();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
