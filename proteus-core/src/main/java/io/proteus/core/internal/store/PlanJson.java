package io.proteus.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proteus.model.CacheMount;
import io.proteus.model.ContainerRequest;
import io.proteus.model.ServiceRequest;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link TestPlan} and everything in it as JSON: one field per record component, named as the
 * component; an absent {@code Optional} is an absent field. Maps are arrays of {@code [key, value]}
 * pairs, so that a key may be any string (JSON readers refuse a lone surrogate in a field name). A
 * metadata value is stored as the JSON it is and read back as strings, booleans, {@code Integer},
 * {@code Long}, {@code BigInteger} or {@code Double} numbers, lists and maps (whose own keys must
 * be valid UTF-16).
 */
final class PlanJson {
  private PlanJson() {}

  static void plan(ObjectNode o, TestPlan p) {
    o.put("name", p.name());
    o.put("build", p.build());
    Fields.texts(o, "platforms", p.platforms());
    o.put("pool", p.pool());
    p.topic().ifPresent(t -> o.put("topic", t));
    ArrayNode tests = o.putArray("tests");
    p.tests().forEach(t -> test(tests.addObject(), t));
  }

  static TestPlan plan(Fields f) throws BadFileException {
    List<TestSpec> tests = new ArrayList<>();
    for (Fields t : f.objects("tests")) {
      tests.add(test(t));
    }
    return new TestPlan(
        f.text("name"),
        f.text("build"),
        f.texts("platforms"),
        f.text("pool"),
        f.optText("topic"),
        tests);
  }

  static void test(ObjectNode o, TestSpec t) {
    o.put("name", t.name());
    o.put("binary", t.binary());
    t.scenario().ifPresent(s -> o.put("scenario", s));
    Fields.texts(o, "expectations", t.expectations());
    ArrayNode meta = o.putArray("metadata");
    t.metadata().forEach((k, v) -> meta.addArray().add(k).add(StoreJson.MAPPER.valueToTree(v)));
    t.timeout().ifPresent(d -> o.put("timeout", d.toString()));
    Fields.texts(o, "tags", t.tags());
    Fields.texts(o, "resources", t.resources());
    Fields.textMap(o, "environment", t.environment());
    Fields.texts(o, "arguments", t.arguments());
    t.topic().ifPresent(s -> o.put("topic", s));
    t.container().ifPresent(c -> container(o.putObject("container"), c));
    t.queueTimeout().ifPresent(d -> o.put("queueTimeout", d.toString()));
    t.noOutputTimeout().ifPresent(d -> o.put("noOutputTimeout", d.toString()));
    t.cancelGrace().ifPresent(d -> o.put("cancelGrace", d.toString()));
  }

  static TestSpec test(Fields f) throws BadFileException {
    Map<String, Object> metadata = new LinkedHashMap<>();
    for (JsonNode pair : f.pairs("metadata")) {
      if (pair.get(1).isNull()) {
        throw new BadFileException("a test's metadata holds a null: " + pair.get(0).textValue());
      }
      metadata.put(
          pair.get(0).textValue(), StoreJson.MAPPER.convertValue(pair.get(1), Object.class));
    }
    return new TestSpec(
        f.text("name"),
        f.text("binary"),
        f.optText("scenario"),
        f.texts("expectations"),
        metadata,
        f.optDuration("timeout"),
        new LinkedHashSet<>(f.texts("tags")),
        new LinkedHashSet<>(f.texts("resources")),
        f.textMap("environment"),
        f.texts("arguments"),
        f.optText("topic"),
        f.optObject("container").isPresent()
            ? Optional.of(container(f.object("container")))
            : Optional.empty(),
        f.optDuration("queueTimeout"),
        f.optDuration("noOutputTimeout"),
        f.optDuration("cancelGrace"));
  }

  private static void container(ObjectNode o, ContainerRequest c) {
    c.image().ifPresent(s -> o.put("image", s));
    c.dockerfile().ifPresent(s -> o.put("dockerfile", s));
    o.put("network", c.network());
    c.memoryBytes().ifPresent(v -> o.put("memoryBytes", v));
    c.cpus().ifPresent(v -> o.put("cpus", v));
    c.pids().ifPresent(v -> o.put("pids", v));
    c.user().ifPresent(s -> o.put("user", s));
    o.put("privileged", c.privileged());
    ArrayNode caches = o.putArray("caches");
    for (CacheMount m : c.caches()) {
      ObjectNode x = caches.addObject();
      x.put("name", m.name());
      x.put("path", m.path());
      x.put("exclusive", m.exclusive());
    }
    ArrayNode services = o.putArray("services");
    for (ServiceRequest s : c.services()) {
      ObjectNode x = services.addObject();
      x.put("name", s.name());
      x.put("image", s.image());
      Fields.texts(x, "command", s.command());
      Fields.textMap(x, "environment", s.environment());
    }
  }

  private static ContainerRequest container(Fields f) throws BadFileException {
    List<CacheMount> caches = new ArrayList<>();
    List<ServiceRequest> services = new ArrayList<>();
    try {
      for (Fields m : f.objects("caches")) {
        caches.add(new CacheMount(m.text("name"), m.text("path"), m.bool("exclusive")));
      }
      for (Fields s : f.objects("services")) {
        services.add(
            new ServiceRequest(
                s.text("name"), s.text("image"), s.texts("command"), s.textMap("environment")));
      }
    } catch (IllegalArgumentException e) {
      throw new BadFileException("a container request the model refuses: " + e.getMessage(), e);
    }
    return new ContainerRequest(
        f.optText("image"),
        f.optText("dockerfile"),
        f.bool("network"),
        f.optNumber("memoryBytes"),
        f.optDouble("cpus"),
        f.optNumber("pids"),
        f.optText("user"),
        f.bool("privileged"),
        caches,
        services);
  }
}
