package io.proteus.core.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.proteus.PlanException;
import io.proteus.SourceLocation;
import io.proteus.core.internal.util.Confinement;
import io.proteus.model.ContainerRequest;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code tests.json}: one plan object, or an array of them, in the original Proteus format
 * plus the documented extensions (see docs/test-plan.md). Wrong types and missing required fields
 * throw {@link PlanException} naming the file, line, column and field; unknown fields become
 * warnings. Thread-safe.
 */
public final class PlanReader {
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).build())
          .build();

  /** Reads a plan file; {@code file} names it in errors. */
  public PlanDocument read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.getFileName().toString());
    } catch (IOException e) {
      throw new PlanException(
          new SourceLocation(file.getFileName().toString(), 1, 1), "", "cannot read: " + e);
    }
  }

  /** Reads plan JSON from a string; {@code file} names it in errors. */
  public PlanDocument read(String json, String file) {
    return read(new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), file);
  }

  /**
   * Reads the plan file at the root of a build and checks that every file it names (each test's
   * {@code binary} and {@code scenario}, and a container's {@code dockerfile}) is a regular file of
   * the build, not a link, so that a missing file is a located error before anything runs.
   */
  public PlanDocument readBuildPlan(Path file) {
    Path root = file.toAbsolutePath().normalize().getParent();
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.getFileName().toString(), root);
    } catch (IOException e) {
      throw new PlanException(
          new SourceLocation(file.getFileName().toString(), 1, 1), "", "cannot read: " + e);
    }
  }

  /** Reads plan JSON from a stream; {@code file} names it in errors. */
  public PlanDocument read(InputStream in, String file) {
    return read(in, file, null);
  }

  private PlanDocument read(InputStream in, String file, @Nullable Path root) {
    List<PlanWarning> warnings = new ArrayList<>();
    BuildFileCheck files = new BuildFileCheck(root);
    try (JsonParser parser = JSON.createParser(in)) {
      JsonCursor c = new JsonCursor(parser, file);
      JsonToken first = c.next("");
      List<TestPlan> plans = new ArrayList<>();
      if (first == JsonToken.START_ARRAY) {
        int i = 0;
        while (c.next("[" + i + "]") != JsonToken.END_ARRAY) {
          plans.add(plan(c, "[" + i + "]", warnings, files));
          i++;
        }
        if (plans.isEmpty()) {
          throw c.error("", "the array holds no plan");
        }
      } else if (first == JsonToken.START_OBJECT) {
        plans.add(plan(c, "", warnings, files));
      } else {
        throw c.error(
            "", "expected a plan object or an array of plans, found " + JsonCursor.describe(first));
      }
      if (parser.nextToken() != null) {
        throw c.error("", "unexpected content after the plan");
      }
      Set<String> names = new HashSet<>();
      for (TestPlan p : plans) {
        if (!names.add(p.name())) {
          throw new PlanException(
              new SourceLocation(file, 1, 1), "name", "two plans are named '" + p.name() + "'");
        }
      }
      return new PlanDocument(plans, warnings);
    } catch (com.fasterxml.jackson.core.exc.StreamReadException e) {
      var l = e.getLocation();
      throw new PlanException(
          new SourceLocation(
              file,
              l == null ? 1 : Math.max(1, l.getLineNr()),
              l == null ? 1 : Math.max(1, l.getColumnNr())),
          "",
          "bad JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new PlanException(new SourceLocation(file, 1, 1), "", "cannot read: " + e.getMessage());
    }
  }

  private static String join(String prefix, String field) {
    return prefix.isEmpty() ? field : prefix + "." + field;
  }

  private TestPlan plan(JsonCursor c, String at, List<PlanWarning> warnings, BuildFileCheck files) {
    if (c.current() != JsonToken.START_OBJECT) {
      throw c.error(at, "expected a plan object, found " + JsonCursor.describe(c.current()));
    }
    SourceLocation start = c.here();
    String name = null;
    String build = null;
    String pool = null;
    String topic = null;
    List<String> platforms = null;
    List<TestSpec> tests = null;
    while (c.next(at) != JsonToken.END_OBJECT) {
      String key = c.fieldName();
      String f = join(at, key);
      c.next(f);
      switch (key) {
        case "name" -> name = nonBlank(c, f);
        case "build" ->
            build =
                c.current() == JsonToken.VALUE_NUMBER_INT ? c.number(f).toString() : nonBlank(c, f);
        case "pool" -> pool = nonBlank(c, f);
        case "topic" -> topic = nonBlank(c, f);
        case "platforms" -> {
          SourceLocation here = c.here();
          platforms = c.strings(f);
          if (platforms.isEmpty()) {
            throw new PlanException(here, f, "at least one platform is needed");
          }
          if (new HashSet<>(platforms).size() != platforms.size()) {
            throw new PlanException(here, f, "a platform is listed twice");
          }
        }
        case "tests" -> tests = tests(c, f, warnings, files);
        default -> {
          warnings.add(new PlanWarning(c.here(), f, "unknown field, ignored"));
          c.skip(f);
        }
      }
    }
    require(start, at, "name", name);
    require(start, at, "platforms", platforms);
    require(start, at, "tests", tests);
    return new TestPlan(
        name,
        build == null ? "unknown" : build,
        platforms,
        pool == null ? "default" : pool,
        Optional.ofNullable(topic),
        tests);
  }

  private List<TestSpec> tests(
      JsonCursor c, String f, List<PlanWarning> warnings, BuildFileCheck files) {
    if (c.current() != JsonToken.START_ARRAY) {
      throw c.error(f, "expected an array of tests, found " + JsonCursor.describe(c.current()));
    }
    SourceLocation here = c.here();
    List<TestSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int i = 0;
    while (c.next(f) != JsonToken.END_ARRAY) {
      String at = f + "[" + i++ + "]";
      SourceLocation testAt = c.here();
      TestSpec t = test(c, at, warnings, files);
      if (!names.add(t.name())) {
        throw new PlanException(
            testAt, at + ".name", "another test is already named '" + t.name() + "'");
      }
      out.add(t);
    }
    if (out.isEmpty()) {
      throw new PlanException(here, f, "at least one test is needed");
    }
    return out;
  }

  private TestSpec test(JsonCursor c, String at, List<PlanWarning> warnings, BuildFileCheck files) {
    if (c.current() != JsonToken.START_OBJECT) {
      throw c.error(at, "expected a test object, found " + JsonCursor.describe(c.current()));
    }
    SourceLocation start = c.here();
    String name = null;
    String binary = null;
    String scenario = null;
    String topic = null;
    Duration timeout = null;
    List<String> expectations = List.of();
    List<String> arguments = List.of();
    Map<String, Object> metadata = Map.of();
    Map<String, String> environment = Map.of();
    Set<String> tags = Set.of();
    Set<String> resources = Set.of();
    ContainerRequest container = null;
    while (c.next(at) != JsonToken.END_OBJECT) {
      String key = c.fieldName();
      String f = join(at, key);
      c.next(f);
      switch (key) {
        case "name" -> name = nonBlank(c, f);
        case "binary" -> binary = files.check(c.here(), f, relativePath(c, f));
        case "scenario" -> scenario = files.check(c.here(), f, relativePath(c, f));
        case "topic" -> topic = nonBlank(c, f);
        case "expectations" -> expectations = c.strings(f);
        case "arguments" -> arguments = c.strings(f);
        case "tags" -> tags = new LinkedHashSet<>(c.strings(f));
        case "resources" -> resources = new LinkedHashSet<>(c.strings(f));
        case "environment" -> environment = environment(c, f);
        case "timeout" -> timeout = Durations.parse(c, f);
        case "metadata" -> metadata = metadata(c, f, warnings);
        case "container" -> {
          SourceLocation here = c.here();
          container = Containers.parse(c, f, warnings);
          container.dockerfile().ifPresent(d -> files.check(here, f + ".dockerfile", d));
        }
        default -> {
          warnings.add(new PlanWarning(c.here(), f, "unknown field, ignored"));
          c.skip(f);
        }
      }
    }
    require(start, at, "name", name);
    require(start, at, "binary", binary);
    return new TestSpec(
        name,
        binary,
        Optional.ofNullable(scenario),
        expectations,
        metadata,
        Optional.ofNullable(timeout),
        tags,
        resources,
        environment,
        arguments,
        Optional.ofNullable(topic),
        Optional.ofNullable(container));
  }

  private static Map<String, String> environment(JsonCursor c, String f) {
    SourceLocation here = c.here();
    Map<String, String> env = c.stringMap(f);
    for (String k : env.keySet()) {
      if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new PlanException(here, f + "." + k, "not a valid environment variable name");
      }
    }
    return env;
  }

  private static Map<String, Object> metadata(JsonCursor c, String f, List<PlanWarning> warnings) {
    if (c.current() != JsonToken.START_OBJECT) {
      throw c.error(f, "expected an object, found " + JsonCursor.describe(c.current()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    while (c.next(f) != JsonToken.END_OBJECT) {
      String key = c.fieldName();
      c.next(f + "." + key);
      if (c.current() == JsonToken.VALUE_NULL) {
        warnings.add(new PlanWarning(c.here(), f + "." + key, "null value, dropped"));
        continue;
      }
      out.put(key, c.value(f + "." + key));
    }
    return out;
  }

  static String nonBlank(JsonCursor c, String f) {
    String s = c.text(f);
    if (s.isBlank()) {
      throw c.error(f, "must not be empty");
    }
    return s;
  }

  static String relativePath(JsonCursor c, String f) {
    String s = nonBlank(c, f);
    if (Confinement.isAbsolute(s) || s.indexOf('\0') >= 0) {
      throw c.error(f, "must be a path relative to the build's root: '" + s + "'");
    }
    if (Confinement.hasParentStep(s)) {
      throw c.error(f, "must stay inside the build (no '..'): '" + s + "'");
    }
    return s;
  }

  private static void require(SourceLocation start, String at, String field, Object value) {
    if (value == null) {
      throw new PlanException(start, join(at, field), "required field is missing");
    }
  }
}
