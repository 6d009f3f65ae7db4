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
    return FieldTable.join(prefix, field);
  }

  /** A plan's fields as read, before the required ones are checked. */
  private static final class PlanFields {
    @Nullable String name;
    @Nullable String build;
    @Nullable String pool;
    @Nullable String topic;
    @Nullable List<String> platforms;
    @Nullable List<TestSpec> tests;
    final List<PlanWarning> warnings;
    final BuildFileCheck files;

    PlanFields(List<PlanWarning> warnings, BuildFileCheck files) {
      this.warnings = warnings;
      this.files = files;
    }
  }

  private static final FieldTable<PlanFields> PLAN =
      FieldTable.<PlanFields>of("a plan object")
          .field("name", (p, c, f) -> p.name = nonBlank(c, f))
          .field(
              "build",
              (p, c, f) ->
                  p.build =
                      c.current() == JsonToken.VALUE_NUMBER_INT
                          ? c.number(f).toString()
                          : nonBlank(c, f))
          .field("pool", (p, c, f) -> p.pool = nonBlank(c, f))
          .field("topic", (p, c, f) -> p.topic = nonBlank(c, f))
          .field("platforms", (p, c, f) -> p.platforms = platforms(c, f))
          .field("tests", (p, c, f) -> p.tests = tests(c, f, p.warnings, p.files))
          .build();

  private static TestPlan plan(
      JsonCursor c, String at, List<PlanWarning> warnings, BuildFileCheck files) {
    PlanFields p = new PlanFields(warnings, files);
    SourceLocation start = PLAN.read(c, at, p, warnings);
    return TestPlan.builder(require(start, at, "name", p.name))
        .build(p.build == null ? "unknown" : p.build)
        .platforms(require(start, at, "platforms", p.platforms))
        .pool(p.pool == null ? "default" : p.pool)
        .topic(Optional.ofNullable(p.topic))
        .tests(require(start, at, "tests", p.tests))
        .build();
  }

  private static List<String> platforms(JsonCursor c, String f) {
    SourceLocation here = c.here();
    List<String> platforms = c.strings(f);
    if (platforms.isEmpty()) {
      throw new PlanException(here, f, "at least one platform is needed");
    }
    if (new HashSet<>(platforms).size() != platforms.size()) {
      throw new PlanException(here, f, "a platform is listed twice");
    }
    return platforms;
  }

  private static List<TestSpec> tests(
      JsonCursor c, String f, List<PlanWarning> warnings, BuildFileCheck files) {
    SourceLocation here = c.here();
    Set<String> names = new HashSet<>();
    List<TestSpec> out =
        TEST.readArray(
            c,
            f,
            "tests",
            () -> new TestFields(warnings, files),
            (t, start, at) -> {
              TestSpec spec = test(t, start, at);
              if (!names.add(spec.name())) {
                throw new PlanException(
                    start, at + ".name", "another test is already named '" + spec.name() + "'");
              }
              return spec;
            },
            warnings);
    if (out.isEmpty()) {
      throw new PlanException(here, f, "at least one test is needed");
    }
    return out;
  }

  /** A test's fields as read, before the required ones are checked. */
  private static final class TestFields {
    @Nullable String name;
    @Nullable String binary;
    @Nullable String scenario;
    @Nullable String topic;
    @Nullable Duration timeout;
    @Nullable Duration queueTimeout;
    @Nullable Duration noOutputTimeout;
    @Nullable Duration cancelGrace;
    List<String> expectations = List.of();
    List<String> arguments = List.of();
    Map<String, Object> metadata = Map.of();
    Map<String, String> environment = Map.of();
    Set<String> tags = Set.of();
    Set<String> resources = Set.of();
    @Nullable ContainerRequest container;
    final List<PlanWarning> warnings;
    final BuildFileCheck files;

    TestFields(List<PlanWarning> warnings, BuildFileCheck files) {
      this.warnings = warnings;
      this.files = files;
    }
  }

  private static final FieldTable<TestFields> TEST =
      FieldTable.<TestFields>of("a test object")
          .field("name", (t, c, f) -> t.name = nonBlank(c, f))
          .field("binary", (t, c, f) -> t.binary = t.files.check(c.here(), f, relativePath(c, f)))
          .field(
              "scenario", (t, c, f) -> t.scenario = t.files.check(c.here(), f, relativePath(c, f)))
          .field("topic", (t, c, f) -> t.topic = nonBlank(c, f))
          .field("expectations", (t, c, f) -> t.expectations = c.strings(f))
          .field("arguments", (t, c, f) -> t.arguments = c.strings(f))
          .field("tags", (t, c, f) -> t.tags = new LinkedHashSet<>(c.strings(f)))
          .field("resources", (t, c, f) -> t.resources = new LinkedHashSet<>(c.strings(f)))
          .field("environment", (t, c, f) -> t.environment = environment(c, f))
          .field("timeout", (t, c, f) -> t.timeout = Durations.parse(c, f))
          .field("queue_timeout", (t, c, f) -> t.queueTimeout = Durations.parse(c, f))
          .field("no_output_timeout", (t, c, f) -> t.noOutputTimeout = Durations.parse(c, f))
          .field("cancel_grace", (t, c, f) -> t.cancelGrace = Durations.grace(c, f))
          .field("metadata", (t, c, f) -> t.metadata = metadata(c, f, t.warnings))
          .field(
              "container",
              (t, c, f) -> {
                SourceLocation here = c.here();
                ContainerRequest container = Containers.parse(c, f, t.warnings);
                container.dockerfile().ifPresent(d -> t.files.check(here, f + ".dockerfile", d));
                t.container = container;
              })
          .build();

  private static TestSpec test(TestFields t, SourceLocation start, String at) {
    return TestSpec.builder(
            require(start, at, "name", t.name), require(start, at, "binary", t.binary))
        .scenario(Optional.ofNullable(t.scenario))
        .expectations(t.expectations)
        .metadata(t.metadata)
        .timeout(Optional.ofNullable(t.timeout))
        .tags(t.tags)
        .resources(t.resources)
        .environment(t.environment)
        .arguments(t.arguments)
        .topic(Optional.ofNullable(t.topic))
        .container(Optional.ofNullable(t.container))
        .queueTimeout(Optional.ofNullable(t.queueTimeout))
        .noOutputTimeout(Optional.ofNullable(t.noOutputTimeout))
        .cancelGrace(Optional.ofNullable(t.cancelGrace))
        .build();
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
    Set<String> seen = new HashSet<>();
    while (c.next(f) != JsonToken.END_OBJECT) {
      String key = c.key(f, seen);
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

  private static <V> V require(SourceLocation start, String at, String field, @Nullable V value) {
    if (value == null) {
      throw new PlanException(start, join(at, field), "required field is missing");
    }
    return value;
  }
}
