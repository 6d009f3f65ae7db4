package io.proteus.core.internal.artifacts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proteus.core.artifacts.Manifest;
import io.proteus.model.JobId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A manifest as JSON: {@code {"job":"…","files":[{"path":"…","size":n,"sha256":"…"}]}}. Read back
 * with limits on the number of files, and every entry checked as the server would.
 */
public final class ManifestJson {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(8)
                  .maxStringLength(FilePaths.MAX_BYTES * 2)
                  .build())
          .build();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private ManifestJson() {}

  /** The manifest as UTF-8 JSON. */
  public static byte[] write(Manifest m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("job", m.job().value());
      g.writeArrayFieldStart("files");
      for (Manifest.Entry e : m.files()) {
        g.writeStartObject();
        g.writeStringField("path", e.path());
        g.writeNumberField("size", e.size());
        g.writeStringField("sha256", e.sha256());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Reads a manifest of at most {@code maxFiles} files.
   *
   * @throws IOException when the JSON is malformed, too large or lists a path the rule refuses
   */
  public static Manifest read(byte[] json, int maxFiles) throws IOException {
    JsonNode root = MAPPER.readTree(json);
    JsonNode files = root == null ? null : root.get("files");
    JsonNode job = root == null ? null : root.get("job");
    if (files == null || !files.isArray() || job == null || !job.isTextual()) {
      throw new IOException("not a manifest: no job or files");
    }
    if (files.size() > maxFiles) {
      throw new IOException("a manifest of more than " + maxFiles + " files");
    }
    List<Manifest.Entry> entries = new ArrayList<>();
    for (JsonNode f : files) {
      JsonNode path = f.get("path");
      JsonNode size = f.get("size");
      JsonNode sha = f.get("sha256");
      if (path == null
          || !path.isTextual()
          || FilePaths.split(path.asText()).isEmpty()
          || size == null
          || !size.canConvertToLong()
          || sha == null
          || !sha.isTextual()
          || !Sha256.isHex(sha.asText())
          || size.asLong() < 0) {
        throw new IOException(
            "a manifest entry is not a path, a size and a SHA-256: " + abbreviate(f.toString()));
      }
      entries.add(new Manifest.Entry(path.asText(), size.asLong(), sha.asText()));
    }
    try {
      return new Manifest(new JobId(job.asText()), entries);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
