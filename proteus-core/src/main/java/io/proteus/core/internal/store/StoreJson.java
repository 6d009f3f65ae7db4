package io.proteus.core.internal.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The JSON of the store's files. Every character outside ASCII is written as a {@code \\u} escape,
 * so any Java string, lone surrogates included, reads back exactly and every file is plain ASCII.
 * Reading refuses deep nesting and trailing content, so a damaged file fails rather than half
 * reads.
 */
public final class StoreJson {
  /** The format version every file of the store carries. */
  public static final int FORMAT = 1;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(64)
                  .maxStringLength(Integer.MAX_VALUE)
                  .build())
          .build();

  static final ObjectMapper MAPPER =
      new ObjectMapper(FACTORY).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private StoreJson() {}

  /** A new empty object. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** The object as one line of ASCII JSON. */
  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that cannot be written", e);
    }
  }

  /**
   * Parses one file's bytes and checks its {@code format} field.
   *
   * @param what what the file is, for error messages
   */
  public static Fields read(byte[] bytes, String what) throws BadFileException {
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new BadFileException("not valid JSON (" + firstLine(e.getMessage()) + ")", e);
    }
    if (node == null || node.isMissingNode()) {
      throw new BadFileException("empty");
    }
    Fields f = Fields.of(node, what);
    long format = f.number("format");
    if (format != FORMAT) {
      throw new BadFileException("format version " + format + ", this store reads " + FORMAT);
    }
    return f;
  }

  private static String firstLine(@org.jspecify.annotations.Nullable String s) {
    if (s == null) {
      return "no detail";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
