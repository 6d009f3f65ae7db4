package io.proteus.mqtt.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.proteus.mqtt.internal.WireException.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads one JSON object's fields, each checked, naming the field path when one is wrong. */
final class Fields {
  private final JsonNode node;
  private final String path;

  private Fields(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  static Fields of(JsonNode node, String path) throws WireException {
    if (node == null || !node.isObject()) {
      throw bad(path, "is not an object");
    }
    return new Fields(node, path);
  }

  boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  Fields object(String field) throws WireException {
    return of(node.get(field), at(field));
  }

  Optional<Fields> optionalObject(String field) throws WireException {
    return has(field) ? Optional.of(object(field)) : Optional.empty();
  }

  JsonNode raw(String field) {
    return node.get(field);
  }

  String text(String field) throws WireException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw bad(at(field), "is not a string");
    }
    return v.asText();
  }

  Optional<String> optionalText(String field) throws WireException {
    return has(field) ? Optional.of(text(field)) : Optional.empty();
  }

  long number(String field) throws WireException {
    JsonNode v = node.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw bad(at(field), "is not a whole number");
    }
    return v.asLong();
  }

  int smallNumber(String field) throws WireException {
    long n = number(field);
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw bad(at(field), "is out of range");
    }
    return (int) n;
  }

  Optional<Long> optionalNumber(String field) throws WireException {
    return has(field) ? Optional.of(number(field)) : Optional.empty();
  }

  Optional<Double> optionalDecimal(String field) throws WireException {
    if (!has(field)) {
      return Optional.empty();
    }
    JsonNode v = node.get(field);
    if (!v.isNumber()) {
      throw bad(at(field), "is not a number");
    }
    return Optional.of(v.asDouble());
  }

  boolean bool(String field) throws WireException {
    JsonNode v = node.get(field);
    if (v == null || !v.isBoolean()) {
      throw bad(at(field), "is not true or false");
    }
    return v.asBoolean();
  }

  Duration millis(String field) throws WireException {
    long ms = number(field);
    if (ms < 0) {
      throw bad(at(field), "is negative");
    }
    return Duration.ofMillis(ms);
  }

  Optional<Duration> optionalMillis(String field) throws WireException {
    return has(field) ? Optional.of(millis(field)) : Optional.empty();
  }

  List<String> texts(String field) throws WireException {
    if (!has(field)) {
      return List.of();
    }
    JsonNode v = node.get(field);
    if (!v.isArray()) {
      throw bad(at(field), "is not a list");
    }
    List<String> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw bad(at(field) + "[" + i + "]", "is not a string");
      }
      out.add(v.get(i).asText());
    }
    return out;
  }

  Set<String> textSet(String field) throws WireException {
    return new LinkedHashSet<>(texts(field));
  }

  Set<Long> numberSet(String field) throws WireException {
    JsonNode v = node.get(field);
    if (v == null || !v.isArray()) {
      throw bad(at(field), "is not a list");
    }
    Set<Long> out = new LinkedHashSet<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isIntegralNumber() || !v.get(i).canConvertToLong()) {
        throw bad(at(field) + "[" + i + "]", "is not a whole number");
      }
      out.add(v.get(i).asLong());
    }
    return out;
  }

  Map<String, String> textMap(String field) throws WireException {
    if (!has(field)) {
      return Map.of();
    }
    Fields map = object(field);
    Map<String, String> out = new LinkedHashMap<>();
    var names = map.node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      out.put(name, map.text(name));
    }
    return out;
  }

  List<Fields> objects(String field) throws WireException {
    if (!has(field)) {
      return List.of();
    }
    JsonNode v = node.get(field);
    if (!v.isArray()) {
      throw bad(at(field), "is not a list");
    }
    List<Fields> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      out.add(of(v.get(i), at(field) + "[" + i + "]"));
    }
    return out;
  }

  Iterable<Map.Entry<String, JsonNode>> entries() {
    return node::fields;
  }

  String at(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  static WireException bad(String where, String what) {
    return new WireException(Kind.MALFORMED, where + " " + what);
  }
}
