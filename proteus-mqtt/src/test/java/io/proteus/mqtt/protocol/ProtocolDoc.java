package io.proteus.mqtt.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON Schemas and examples of docs/PROTOCOL.md. A schema is a fenced {@code json} block whose
 * first key is {@code "$id"} with a value {@code proteus/v1/<type>}; its example is the next fenced
 * {@code json} block of the same {@code ###} section. Each schema validates two ways: as written
 * (unknown fields allowed), and strictly, with every {@code additionalProperties: true} beside a
 * {@code properties} turned to {@code false}, so that a field the code writes and the page does not
 * list is found.
 */
public final class ProtocolDoc {
  /** The prefix of every schema's {@code $id}. */
  public static final String ID_PREFIX = "proteus/v1/";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One message type of the page.
   *
   * @param type the message's {@code type} (the {@code $id} after {@link #ID_PREFIX})
   * @param heading the {@code ###} heading the schema is under
   * @param schemaNode the schema as written
   * @param example the example's text, if the section has one after the schema
   */
  public record Entry(String type, String heading, JsonNode schemaNode, Optional<String> example) {}

  private final Map<String, Entry> entries;
  private final Map<String, Schema> schemas = new LinkedHashMap<>();
  private final Map<String, Schema> strictSchemas = new LinkedHashMap<>();

  private ProtocolDoc(Map<String, Entry> entries) {
    this.entries = entries;
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    for (Entry e : entries.values()) {
      // the $ids are relative: resolve them against a base of no consequence
      schemas.put(e.type(), registry.getSchema(base(e.type(), ""), e.schemaNode()));
      strictSchemas.put(
          e.type(),
          registry.getSchema(base(e.type(), "strict/"), strict(e.schemaNode().deepCopy())));
    }
  }

  private static SchemaLocation base(String type, String variant) {
    return SchemaLocation.of("https://proteus.invalid/" + variant + type + ".json");
  }

  /** Reads the page at {@code path}. */
  public static ProtocolDoc read(Path path) {
    try {
      return parse(Files.readString(path, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a page's text. */
  public static ProtocolDoc parse(String markdown) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    String heading = "";
    String pendingType = null;
    JsonNode pendingSchema = null;
    String pendingHeading = "";
    List<String> lines = markdown.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("#")) {
        if (pendingType != null) {
          put(entries, new Entry(pendingType, pendingHeading, pendingSchema, Optional.empty()));
          pendingType = null;
        }
        heading = line.replaceFirst("^#+\\s*", "").strip();
        continue;
      }
      if (!line.strip().equals("```json")) {
        continue;
      }
      StringBuilder block = new StringBuilder();
      int j = i + 1;
      while (j < lines.size() && !lines.get(j).strip().equals("```")) {
        block.append(lines.get(j)).append('\n');
        j++;
      }
      i = j;
      String text = block.toString();
      Optional<String> id = schemaId(text);
      if (id.isPresent()) {
        if (pendingType != null) {
          put(entries, new Entry(pendingType, pendingHeading, pendingSchema, Optional.empty()));
        }
        pendingType = id.get().substring(ID_PREFIX.length());
        pendingSchema = tree(text);
        pendingHeading = heading;
      } else if (pendingType != null) {
        put(entries, new Entry(pendingType, pendingHeading, pendingSchema, Optional.of(text)));
        pendingType = null;
      }
    }
    if (pendingType != null) {
      put(entries, new Entry(pendingType, pendingHeading, pendingSchema, Optional.empty()));
    }
    return new ProtocolDoc(entries);
  }

  private static void put(Map<String, Entry> entries, Entry e) {
    if (entries.put(e.type(), e) != null) {
      throw new IllegalStateException("two schemas of type " + e.type());
    }
  }

  /** The {@code $id} of a block whose first key is {@code $id} under {@link #ID_PREFIX}. */
  private static Optional<String> schemaId(String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (node == null || !node.isObject() || node.isEmpty()) {
      return Optional.empty();
    }
    String first = node.fieldNames().next();
    if (!first.equals("$id")) {
      return Optional.empty();
    }
    String id = node.get("$id").asText();
    return id.startsWith(ID_PREFIX) ? Optional.of(id) : Optional.empty();
  }

  /** The message types the page has a schema for, in page order. */
  public Set<String> types() {
    return Collections.unmodifiableSet(entries.keySet());
  }

  /** The entry of {@code type}. */
  public Entry entry(String type) {
    Entry e = entries.get(type);
    if (e == null) {
      throw new IllegalArgumentException("PROTOCOL.md has no schema for type " + type);
    }
    return e;
  }

  /** What is wrong with {@code message} by the schema of its own {@code type}, as written. */
  public List<String> errors(JsonNode message) {
    return errors(schemas, message);
  }

  /**
   * What is wrong with {@code message} by the schema of its {@code type}, strictly: also every
   * field the schema does not list.
   */
  public List<String> strictErrors(JsonNode message) {
    return errors(strictSchemas, message);
  }

  private static List<String> errors(Map<String, Schema> byType, JsonNode message) {
    JsonNode type = message.get("type");
    if (type == null || !type.isTextual()) {
      return List.of("no type");
    }
    Schema s = byType.get(type.asText());
    if (s == null) {
      return List.of("PROTOCOL.md has no schema for type " + type.asText());
    }
    List<String> out = new ArrayList<>();
    for (Error e : s.validate(message)) {
      out.add(e.toString());
    }
    return out;
  }

  /**
   * Every property path the schema of {@code type} declares, such as {@code test.container.cpus}
   * (array items as {@code []}, map values as {@code *}), following {@code $ref}s into {@code
   * $defs}.
   */
  public Set<String> declaredPaths(String type) {
    JsonNode root = entry(type).schemaNode();
    Set<String> out = new TreeSet<>();
    declared(root, root, "", out, 0);
    return out;
  }

  private static void declared(
      JsonNode root, JsonNode node, String at, Set<String> out, int depth) {
    if (depth > 20 || node == null || !node.isObject()) {
      return;
    }
    JsonNode n = resolve(root, node);
    JsonNode props = n.get("properties");
    if (props != null) {
      for (Map.Entry<String, JsonNode> p : props.properties()) {
        String path = at.isEmpty() ? p.getKey() : at + "." + p.getKey();
        out.add(path);
        declared(root, p.getValue(), path, out, depth + 1);
      }
    }
    JsonNode items = n.get("items");
    if (items != null) {
      declared(root, items, at + "[]", out, depth + 1);
    }
    JsonNode more = n.get("additionalProperties");
    if (more != null && more.isObject()) {
      out.add(at + ".*");
      declared(root, more, at + ".*", out, depth + 1);
    }
  }

  private static JsonNode resolve(JsonNode root, JsonNode node) {
    JsonNode ref = node.get("$ref");
    if (ref == null) {
      return node;
    }
    String pointer = ref.asText();
    if (!pointer.startsWith("#")) {
      throw new IllegalArgumentException("only local $refs are used: " + pointer);
    }
    JsonNode target = root.at(pointer.substring(1));
    if (target.isMissingNode()) {
      throw new IllegalArgumentException("a $ref to nothing: " + pointer);
    }
    return resolve(root, target);
  }

  /**
   * Every property path present in {@code message} in the notation of {@link #declaredPaths},
   * reading {@code mapPaths} (such as {@code test.metadata}) as maps whose keys are {@code *}, and
   * not looking inside {@code opaquePaths} (free-form values).
   */
  public static Set<String> presentPaths(
      JsonNode message, Set<String> mapPaths, Set<String> opaquePaths) {
    Set<String> out = new TreeSet<>();
    present(message, "", mapPaths, opaquePaths, out);
    return out;
  }

  private static void present(
      JsonNode node, String at, Set<String> maps, Set<String> opaque, Set<String> out) {
    if (opaque.contains(at)) {
      return;
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> f : node.properties()) {
        String key = maps.contains(at) ? "*" : f.getKey();
        String path = at.isEmpty() ? key : at + "." + key;
        out.add(path);
        present(f.getValue(), path, maps, opaque, out);
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        present(item, at + "[]", maps, opaque, out);
      }
    }
  }

  /** Turns every {@code additionalProperties: true} beside {@code properties} to {@code false}. */
  private static JsonNode strict(JsonNode node) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      if (o.has("properties")
          && o.has("additionalProperties")
          && o.get("additionalProperties").isBoolean()
          && o.get("additionalProperties").asBoolean()) {
        o.set("additionalProperties", BooleanNode.FALSE);
      }
      for (JsonNode child : o) {
        strict(child);
      }
    } else if (node.isArray()) {
      for (JsonNode child : node) {
        strict(child);
      }
    }
    return node;
  }

  /** {@code text} as a JSON tree. */
  public static JsonNode tree(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  /** {@code bytes} as a JSON tree. */
  public static JsonNode tree(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }
}
