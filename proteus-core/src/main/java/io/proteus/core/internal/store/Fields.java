package io.proteus.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the fields of one JSON object of a stored file, each checked for its type, so that a file
 * that is not what the store wrote fails with the field's name rather than a null or a wrong value.
 * Optional values are absent fields (never {@code null}).
 */
public final class Fields {
  private final JsonNode node;
  private final String where;

  private Fields(JsonNode node, String where) {
    this.node = node;
    this.where = where;
  }

  /** The object {@code node}, named {@code where} in error messages. */
  static Fields of(JsonNode node, String where) throws BadFileException {
    if (!node.isObject()) {
      throw new BadFileException(where + " is not a JSON object");
    }
    return new Fields(node, where);
  }

  boolean has(String field) {
    return node.has(field) && !node.get(field).isNull();
  }

  private JsonNode get(String field) throws BadFileException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new BadFileException(where + "." + field + " is missing");
    }
    return v;
  }

  private BadFileException wrong(String field, String kind) {
    return new BadFileException(where + "." + field + " is not " + kind);
  }

  String text(String field) throws BadFileException {
    JsonNode v = get(field);
    if (!v.isTextual()) {
      throw wrong(field, "a string");
    }
    return v.textValue();
  }

  Optional<String> optText(String field) throws BadFileException {
    return has(field) ? Optional.of(text(field)) : Optional.empty();
  }

  long number(String field) throws BadFileException {
    JsonNode v = get(field);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw wrong(field, "a whole number");
    }
    return v.longValue();
  }

  int integer(String field) throws BadFileException {
    JsonNode v = get(field);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw wrong(field, "a 32-bit whole number");
    }
    return v.intValue();
  }

  Optional<Long> optNumber(String field) throws BadFileException {
    return has(field) ? Optional.of(number(field)) : Optional.empty();
  }

  Optional<Integer> optInteger(String field) throws BadFileException {
    return has(field) ? Optional.of(integer(field)) : Optional.empty();
  }

  Optional<Double> optDouble(String field) throws BadFileException {
    if (!has(field)) {
      return Optional.empty();
    }
    JsonNode v = get(field);
    if (!v.isNumber()) {
      throw wrong(field, "a number");
    }
    return Optional.of(v.doubleValue());
  }

  boolean bool(String field) throws BadFileException {
    JsonNode v = get(field);
    if (!v.isBoolean()) {
      throw wrong(field, "true or false");
    }
    return v.booleanValue();
  }

  Instant instant(String field) throws BadFileException {
    String s = text(field);
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw wrong(field, "an instant");
    }
  }

  Optional<Instant> optInstant(String field) throws BadFileException {
    return has(field) ? Optional.of(instant(field)) : Optional.empty();
  }

  Duration duration(String field) throws BadFileException {
    String s = text(field);
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      throw wrong(field, "an ISO-8601 duration");
    }
  }

  Optional<Duration> optDuration(String field) throws BadFileException {
    return has(field) ? Optional.of(duration(field)) : Optional.empty();
  }

  <E extends Enum<E>> E named(Class<E> type, String field) throws BadFileException {
    String s = text(field);
    try {
      return Enum.valueOf(type, s);
    } catch (IllegalArgumentException e) {
      throw wrong(field, "one of the " + type.getSimpleName() + " names");
    }
  }

  <E extends Enum<E>> Optional<E> optNamed(Class<E> type, String field) throws BadFileException {
    return has(field) ? Optional.of(named(type, field)) : Optional.empty();
  }

  Fields object(String field) throws BadFileException {
    return of(get(field), where + "." + field);
  }

  Optional<Fields> optObject(String field) throws BadFileException {
    return has(field) ? Optional.of(object(field)) : Optional.empty();
  }

  /** The elements of an array of objects. */
  List<Fields> objects(String field) throws BadFileException {
    JsonNode v = get(field);
    if (!v.isArray()) {
      throw wrong(field, "an array");
    }
    List<Fields> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      out.add(of(v.get(i), where + "." + field + "[" + i + "]"));
    }
    return out;
  }

  List<String> texts(String field) throws BadFileException {
    JsonNode v = get(field);
    if (!v.isArray()) {
      throw wrong(field, "an array");
    }
    List<String> out = new ArrayList<>(v.size());
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw wrong(field, "an array of strings");
      }
      out.add(e.textValue());
    }
    return out;
  }

  /** A map stored as an array of {@code [key, value]} pairs (keys may be any string). */
  Map<String, String> textMap(String field) throws BadFileException {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode pair : pairs(field)) {
      if (!pair.get(1).isTextual()) {
        throw wrong(field, "an array of [string, string] pairs");
      }
      out.put(pair.get(0).textValue(), pair.get(1).textValue());
    }
    return out;
  }

  /** The {@code [key, value]} pairs of a map stored as an array. */
  List<JsonNode> pairs(String field) throws BadFileException {
    JsonNode v = get(field);
    if (!v.isArray()) {
      throw wrong(field, "an array of pairs");
    }
    List<JsonNode> out = new ArrayList<>(v.size());
    for (JsonNode pair : v) {
      if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual()) {
        throw wrong(field, "an array of [string, value] pairs");
      }
      out.add(pair);
    }
    return out;
  }

  /** A field as a plain JSON value, for free-form values. */
  JsonNode raw(String field) throws BadFileException {
    return get(field);
  }

  static void texts(ObjectNode o, String field, Collection<String> values) {
    ArrayNode a = o.putArray(field);
    values.forEach(a::add);
  }

  static void textMap(ObjectNode o, String field, Map<String, String> values) {
    ArrayNode a = o.putArray(field);
    values.forEach((k, v) -> a.addArray().add(k).add(v));
  }
}
