package io.proteus.mqtt.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proteus.model.CacheMount;
import io.proteus.model.CaseStatus;
import io.proteus.model.ContainerRequest;
import io.proteus.model.ServiceRequest;
import io.proteus.model.TestCaseResult;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.Failure;
import io.proteus.spi.FailureKind;
import io.proteus.spi.transport.FilesRef;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The API's value types as the wire's JSON objects, both ways. */
final class Values {
  private Values() {}

  static void descriptor(ObjectNode o, WorkerDescriptor d) {
    o.put("id", d.id()).put("pool", d.pool()).put("platform", d.platform());
    texts(o.putArray("tags"), d.tags());
    d.topic().ifPresent(t -> o.put("topic", t));
  }

  static WorkerDescriptor descriptor(Fields f) throws WireException {
    return new WorkerDescriptor(
        f.text("id"),
        f.text("pool"),
        f.text("platform"),
        f.textSet("tags"),
        f.optionalText("topic"));
  }

  static void report(ObjectNode o, AttemptReport r) {
    o.put("exitCode", r.exitCode()).put("elapsedMs", r.elapsed().toMillis());
    r.log().ifPresent(l -> o.put("log", l));
    ArrayNode cases = o.putArray("cases");
    for (TestCaseResult c : r.cases()) {
      ObjectNode n = cases.addObject().put("name", c.name()).put("status", c.status().name());
      c.message().ifPresent(m -> n.put("message", m));
      n.put("durationMs", c.duration().toMillis()).put("expected", c.expected());
    }
  }

  static AttemptReport report(Fields f) throws WireException {
    List<TestCaseResult> cases = new ArrayList<>();
    for (Fields c : f.objects("cases")) {
      cases.add(
          new TestCaseResult(
              c.text("name"),
              named(CaseStatus.class, c, "status"),
              c.optionalText("message"),
              c.millis("durationMs"),
              c.bool("expected")));
    }
    return new AttemptReport(
        f.smallNumber("exitCode"), cases, f.optionalText("log"), f.millis("elapsedMs"));
  }

  static void failure(ObjectNode o, Failure failure) {
    o.put("kind", failure.kind().name())
        .put("message", failure.message())
        .put("retryable", failure.retryable());
  }

  static Failure failure(Fields f) throws WireException {
    return new Failure(named(FailureKind.class, f, "kind"), f.text("message"), f.bool("retryable"));
  }

  static void files(ObjectNode o, FilesRef ref) {
    o.put("location", ref.location().toString());
    ref.credential().ifPresent(c -> o.put("credential", c));
    ObjectNode manifest = o.putObject("manifest");
    ref.manifest()
        .forEach((path, info) -> {
          ObjectNode n = manifest.putObject(path).put("size", info.size());
          info.sha256().ifPresent(s -> n.put("sha256", s));
        });
  }

  static FilesRef files(Fields f) throws WireException {
    URI location;
    try {
      location = new URI(f.text("location"));
    } catch (URISyntaxException e) {
      throw Fields.bad(f.at("location"), "is not a URI");
    }
    Map<String, FilesRef.FileInfo> manifest = new LinkedHashMap<>();
    if (f.has("manifest")) {
      Fields m = f.object("manifest");
      for (Map.Entry<String, JsonNode> e : m.entries()) {
        Fields info = m.object(e.getKey());
        manifest.put(
            e.getKey(), new FilesRef.FileInfo(info.number("size"), info.optionalText("sha256")));
      }
    }
    return new FilesRef(location, f.optionalText("credential"), manifest);
  }

  static void test(ObjectNode o, TestSpec t) {
    o.put("name", t.name()).put("binary", t.binary());
    t.scenario().ifPresent(s -> o.put("scenario", s));
    texts(o.putArray("expectations"), t.expectations());
    o.set("metadata", Wire.JSON.valueToTree(t.metadata()));
    t.timeout().ifPresent(d -> o.put("timeoutMs", d.toMillis()));
    texts(o.putArray("tags"), t.tags());
    texts(o.putArray("resources"), t.resources());
    ObjectNode env = o.putObject("environment");
    t.environment().forEach(env::put);
    texts(o.putArray("arguments"), t.arguments());
    t.topic().ifPresent(s -> o.put("topic", s));
    t.container().ifPresent(c -> container(o.putObject("container"), c));
    t.queueTimeout().ifPresent(d -> o.put("queueTimeoutMs", d.toMillis()));
    t.noOutputTimeout().ifPresent(d -> o.put("noOutputTimeoutMs", d.toMillis()));
    t.cancelGrace().ifPresent(d -> o.put("cancelGraceMs", d.toMillis()));
  }

  static TestSpec test(Fields f) throws WireException {
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (f.has("metadata")) {
      Fields m = f.object("metadata");
      for (Map.Entry<String, JsonNode> e : m.entries()) {
        metadata.put(e.getKey(), Wire.JSON.convertValue(e.getValue(), Object.class));
      }
    }
    Optional<ContainerRequest> container = Optional.empty();
    if (f.has("container")) {
      container = Optional.of(container(f.object("container")));
    }
    return TestSpec.builder(f.text("name"), f.text("binary"))
        .scenario(f.optionalText("scenario"))
        .expectations(f.texts("expectations"))
        .metadata(metadata)
        .timeout(f.optionalMillis("timeoutMs"))
        .tags(f.textSet("tags"))
        .resources(f.textSet("resources"))
        .environment(f.textMap("environment"))
        .arguments(f.texts("arguments"))
        .topic(f.optionalText("topic"))
        .container(container)
        .queueTimeout(f.optionalMillis("queueTimeoutMs"))
        .noOutputTimeout(f.optionalMillis("noOutputTimeoutMs"))
        .cancelGrace(f.optionalMillis("cancelGraceMs"))
        .build();
  }

  private static void container(ObjectNode o, ContainerRequest c) {
    c.image().ifPresent(v -> o.put("image", v));
    c.dockerfile().ifPresent(v -> o.put("dockerfile", v));
    o.put("network", c.network());
    c.memoryBytes().ifPresent(v -> o.put("memoryBytes", v));
    c.cpus().ifPresent(v -> o.put("cpus", v));
    c.pids().ifPresent(v -> o.put("pids", v));
    c.user().ifPresent(v -> o.put("user", v));
    o.put("privileged", c.privileged());
    ArrayNode caches = o.putArray("caches");
    for (CacheMount m : c.caches()) {
      caches
          .addObject()
          .put("name", m.name())
          .put("path", m.path())
          .put("exclusive", m.exclusive());
    }
    ArrayNode services = o.putArray("services");
    for (ServiceRequest s : c.services()) {
      ObjectNode n = services.addObject().put("name", s.name()).put("image", s.image());
      texts(n.putArray("command"), s.command());
      ObjectNode env = n.putObject("environment");
      s.environment().forEach(env::put);
    }
  }

  private static ContainerRequest container(Fields f) throws WireException {
    List<CacheMount> caches = new ArrayList<>();
    for (Fields m : f.objects("caches")) {
      caches.add(new CacheMount(m.text("name"), m.text("path"), m.bool("exclusive")));
    }
    List<ServiceRequest> services = new ArrayList<>();
    for (Fields s : f.objects("services")) {
      services.add(
          new ServiceRequest(
              s.text("name"), s.text("image"), s.texts("command"), s.textMap("environment")));
    }
    return ContainerRequest.builder()
        .image(f.optionalText("image"))
        .dockerfile(f.optionalText("dockerfile"))
        .network(f.bool("network"))
        .memoryBytes(f.optionalNumber("memoryBytes"))
        .cpus(f.optionalDecimal("cpus"))
        .pids(f.optionalNumber("pids"))
        .user(f.optionalText("user"))
        .privileged(f.bool("privileged"))
        .caches(caches)
        .services(services)
        .build();
  }

  static <E extends Enum<E>> E named(Class<E> type, Fields f, String field) throws WireException {
    String name = f.text(field);
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw Fields.bad(f.at(field), "is not one of the known values: " + Wire.quote(name));
    }
  }

  private static void texts(ArrayNode array, Collection<String> values) {
    values.forEach(array::add);
  }
}
