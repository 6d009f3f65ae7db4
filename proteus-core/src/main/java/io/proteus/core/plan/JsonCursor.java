package io.proteus.core.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.proteus.PlanException;
import io.proteus.SourceLocation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A JSON token reader that turns every problem into a {@link PlanException} with a location. */
final class JsonCursor {
  private final JsonParser parser;
  private final String file;

  JsonCursor(JsonParser parser, String file) {
    this.parser = parser;
    this.file = file;
  }

  JsonToken next(String field) {
    try {
      JsonToken t = parser.nextToken();
      if (t == null) {
        throw error(field, "the file ends too early");
      }
      return t;
    } catch (StreamReadException e) {
      throw badJson(e, field);
    } catch (IOException e) {
      throw new PlanException(here(), field, "cannot read: " + e.getMessage());
    }
  }

  private PlanException badJson(StreamReadException e, String field) {
    JsonLocation l = e.getLocation();
    String msg = String.valueOf(e.getOriginalMessage());
    int cut = msg.indexOf('\n');
    return new PlanException(
        l == null
            ? here()
            : new SourceLocation(file, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr())),
        field,
        "bad JSON: " + (cut > 0 ? msg.substring(0, cut) : msg));
  }

  JsonToken current() {
    JsonToken t = parser.currentToken();
    if (t == null) {
      throw error("", "no JSON value");
    }
    return t;
  }

  String fieldName() {
    try {
      return parser.currentName();
    } catch (IOException e) {
      throw new PlanException(here(), "", "cannot read a field name: " + e.getMessage());
    }
  }

  /**
   * The current field's name, refused when {@code seen} already holds it: a key given twice in one
   * object is an error, not a silent choice of one of the values.
   */
  String key(String at, Set<String> seen) {
    String key = fieldName();
    if (!seen.add(key)) {
      throw error(at.isEmpty() ? key : at + "." + key, "the key '" + key + "' appears twice");
    }
    return key;
  }

  SourceLocation here() {
    JsonLocation l = parser.currentTokenLocation();
    return new SourceLocation(file, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
  }

  PlanException error(String field, String problem) {
    return new PlanException(here(), field, problem);
  }

  String text(String field) {
    if (current() != JsonToken.VALUE_STRING) {
      throw error(field, "expected a string, found " + describe(current()));
    }
    try {
      return parser.getText();
    } catch (IOException e) {
      throw error(field, "cannot read text: " + e.getMessage());
    }
  }

  Number number(String field) {
    JsonToken t = current();
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
      throw error(field, "expected a number, found " + describe(t));
    }
    try {
      return parser.getNumberValue();
    } catch (IOException e) {
      throw error(field, "bad number: " + e.getMessage());
    }
  }

  boolean bool(String field) {
    JsonToken t = current();
    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
      throw error(field, "expected true or false, found " + describe(t));
    }
    return t == JsonToken.VALUE_TRUE;
  }

  List<String> strings(String field) {
    if (current() != JsonToken.START_ARRAY) {
      throw error(field, "expected an array of strings, found " + describe(current()));
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    while (next(field) != JsonToken.END_ARRAY) {
      out.add(text(field + "[" + i++ + "]"));
    }
    return out;
  }

  Map<String, String> stringMap(String field) {
    if (current() != JsonToken.START_OBJECT) {
      throw error(field, "expected an object of strings, found " + describe(current()));
    }
    Map<String, String> out = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    while (next(field) != JsonToken.END_OBJECT) {
      String key = key(field, seen);
      next(field + "." + key);
      out.put(key, text(field + "." + key));
    }
    return out;
  }

  /** Any JSON value as plain Java: maps, lists, strings, numbers, booleans; null as null. */
  Object value(String field) {
    JsonToken t = current();
    return switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        while (next(field) != JsonToken.END_OBJECT) {
          String key = key(field, seen);
          next(field + "." + key);
          Object v = value(field + "." + key);
          m.put(key, v == null ? "" : v);
        }
        yield m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        int i = 0;
        while (next(field) != JsonToken.END_ARRAY) {
          Object v = value(field + "[" + i++ + "]");
          l.add(v == null ? "" : v);
        }
        yield l;
      }
      case VALUE_STRING -> text(field);
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(field);
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> "";
      default -> throw error(field, "unexpected " + describe(t));
    };
  }

  void skip(String field) {
    try {
      parser.skipChildren();
    } catch (StreamReadException e) {
      throw badJson(e, field);
    } catch (IOException e) {
      throw error(field, "cannot read: " + e.getMessage());
    }
  }

  static String describe(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
