package io.proteus.examples.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML configuration file into dotted keys ({@code mqtt: {host: x}} and {@code mqtt.host:
 * x} are the same), each with the line it is on. Values are scalars (kept as text) or sequences of
 * scalars; a null value is as if the key were absent. Duplicate keys are an error.
 */
final class YamlConfigFile {
  private static final YAMLFactory YAML =
      YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private YamlConfigFile() {}

  /** A value read from a file: text or a list of texts, and where it is. */
  record Entry(Object value, String where) {}

  /** The file's keys in order. */
  static Map<String, Entry> read(Path file) throws ConfigException {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("the config file " + file + " does not exist or is not a file");
    }
    Map<String, Entry> out = new LinkedHashMap<>();
    try (JsonParser p = YAML.createParser(file.toFile())) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return out;
      }
      if (first != JsonToken.START_OBJECT) {
        throw new ConfigException(
            where(file, p.currentTokenLocation()) + ": not a mapping of keys");
      }
      object(p, file, "", out);
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String msg = e.getOriginalMessage().lines().findFirst().orElse("");
      throw new ConfigException(
          (l == null ? file.toString() : where(file, l)) + ": not valid YAML: " + msg);
    } catch (IOException e) {
      throw new ConfigException("cannot read the config file " + file + ": " + e.getMessage());
    }
    return out;
  }

  private static void object(JsonParser p, Path file, String prefix, Map<String, Entry> out)
      throws IOException, ConfigException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = prefix + p.currentName();
      JsonToken t = p.nextToken();
      String where = where(file, p.currentTokenLocation());
      if (t == JsonToken.START_OBJECT) {
        object(p, file, key + ".", out);
      } else if (t == JsonToken.START_ARRAY) {
        List<String> items = new ArrayList<>();
        for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
          if (!i.isScalarValue()) {
            throw new ConfigException(where + ": " + key + " is a list of plain values");
          }
          items.add(p.getText());
        }
        put(out, key, new Entry(List.copyOf(items), where));
      } else if (t != JsonToken.VALUE_NULL) {
        put(out, key, new Entry(p.getText(), where));
      }
    }
  }

  private static void put(Map<String, Entry> out, String key, Entry e) throws ConfigException {
    if (out.putIfAbsent(key, e) != null) {
      throw new ConfigException(e.where() + ": " + key + " is set twice");
    }
  }

  private static String where(Path file, JsonLocation l) {
    return file + " line " + l.getLineNr();
  }
}
