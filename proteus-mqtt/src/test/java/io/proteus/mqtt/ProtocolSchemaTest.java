package io.proteus.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import io.proteus.core.ProteusCore;
import io.proteus.core.agent.Agent;
import io.proteus.model.Build;
import io.proteus.model.CacheMount;
import io.proteus.model.CaseStatus;
import io.proteus.model.ContainerRequest;
import io.proteus.model.JobId;
import io.proteus.model.ServiceRequest;
import io.proteus.model.TaskId;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestCaseResult;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerDescriptor;
import io.proteus.mqtt.internal.AgentWire;
import io.proteus.mqtt.internal.CoreWire;
import io.proteus.mqtt.internal.Topics;
import io.proteus.mqtt.internal.WireException;
import io.proteus.mqtt.protocol.ProtocolDoc;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.Failure;
import io.proteus.spi.FailureKind;
import io.proteus.spi.Reservation;
import io.proteus.spi.transport.AgentMessage;
import io.proteus.spi.transport.CoreMessage;
import io.proteus.spi.transport.FilesRef;
import io.proteus.testkit.FakeEngine;
import io.proteus.testkit.InMemoryFiles;
import io.proteus.testkit.TcpProxy;
import io.proteus.testkit.junit5.Mosquitto;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/PROTOCOL.md against the code: every message type the code sends has a JSON Schema there with
 * an example that validates; real messages encoded by the codec, and every message of a real
 * exchange on a mosquitto broker, validate against their type's schema (strictly too: a field the
 * code writes and the page does not list fails); every field the page lists is written by the code;
 * and every example decodes with the codec and encodes back to itself.
 */
class ProtocolSchemaTest {
  private static final Path DOC = Path.of("../docs/PROTOCOL.md");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX = 1 << 20;
  private static final String LINK = "5b0e8f8e-3f0a-4d52-9c55-0a6f0f4e3c11";

  /** The agent's message types, each with the record it encodes. */
  private static final Map<String, Class<?>> AGENT_TYPES =
      Map.of(
          "output", AgentMessage.Output.class,
          "hello", AgentMessage.Hello.class,
          "accepted", AgentMessage.Accepted.class,
          "progressed", AgentMessage.Progressed.class,
          "completed", AgentMessage.Completed.class,
          "failed", AgentMessage.Failed.class,
          "released", AgentMessage.Released.class,
          "heartbeat", AgentMessage.Heartbeat.class,
          "draining", AgentMessage.Draining.class,
          "bye", AgentMessage.Bye.class);

  /** The core's message types, each with the record it encodes. */
  private static final Map<String, Class<?>> CORE_TYPES =
      Map.of(
          "dispatch", CoreMessage.Dispatch.class,
          "abort", CoreMessage.Abort.class,
          "resultAck", CoreMessage.ResultAck.class,
          "rejoin", CoreMessage.Rejoin.class);

  /** Fields whose members are keys, not field names. */
  private static final Set<String> MAPS =
      Set.of(
          "test.metadata",
          "test.environment",
          "test.container.services[].environment",
          "files.manifest");

  /** Free-form values, not looked into. */
  private static final Set<String> OPAQUE = Set.of("test.metadata.*");

  @TempDir Path tmp;

  private static ProtocolDoc doc() {
    return ProtocolDoc.read(DOC);
  }

  private static JsonNode tree(byte[] bytes) {
    return ProtocolDoc.tree(bytes);
  }

  // (1) every type the code can send has a schema, and every schema a valid example

  @Test
  void everyTypeTheCodeSendsHasASchemaAndEverySchemaAValidExample() {
    ProtocolDoc doc = doc();
    Set<String> sent = new TreeSet<>();
    for (byte[] m : encodedSamples()) {
      sent.add(tree(m).get("type").asText());
    }
    assertThat(new TreeSet<>(doc.types())).isEqualTo(sent);

    for (String type : doc.types()) {
      ProtocolDoc.Entry e = doc.entry(type);
      assertThat(e.heading()).as("the heading of %s", type).startsWith(type);
      JsonNode schema = e.schemaNode();
      assertThat(schema.path("$schema").asText())
          .isEqualTo("https://json-schema.org/draft/2020-12/schema");
      assertThat(schema.path("additionalProperties").asBoolean(false))
          .as("%s takes unknown fields", type)
          .isTrue();
      assertThat(schema.at("/properties/type/const").asText()).isEqualTo(type);
      assertThat(schema.at("/properties/v/const").asInt()).isEqualTo(1);
      assertThat(e.example()).as("the example of %s", type).isPresent();
      JsonNode example = ProtocolDoc.tree(e.example().orElseThrow());
      assertThat(example.path("type").asText()).isEqualTo(type);
      assertThat(doc.errors(example)).as("the example of %s", type).isEmpty();
      assertThat(doc.strictErrors(example)).as("the example of %s, strictly", type).isEmpty();
    }
  }

  @Test
  void theSamplesCoverEveryMessageRecordOfTheApi() {
    Set<Class<?>> covered = new HashSet<>();
    agentSamples().forEach(m -> covered.add(m.getClass()));
    coreSamples().forEach(m -> covered.add(m.getClass()));
    assertThat(covered)
        .containsAll(Arrays.asList(AgentMessage.class.getPermittedSubclasses()))
        .containsAll(Arrays.asList(CoreMessage.class.getPermittedSubclasses()));
    assertThat(AGENT_TYPES.values())
        .containsExactlyInAnyOrderElementsOf(
            Arrays.asList(AgentMessage.class.getPermittedSubclasses()));
    assertThat(CORE_TYPES.values())
        .containsExactlyInAnyOrderElementsOf(
            Arrays.asList(CoreMessage.class.getPermittedSubclasses()));
    for (AgentMessage m : agentSamples()) {
      assertThat(AGENT_TYPES.get(tree(AgentWire.write(LINK, m)).get("type").asText()))
          .isEqualTo(m.getClass());
    }
    for (CoreMessage m : coreSamples()) {
      assertThat(CORE_TYPES.get(tree(CoreWire.write(m)).get("type").asText()))
          .isEqualTo(m.getClass());
    }
  }

  // (2) real messages, encoded by the codec, validate; every listed field is written

  @Test
  void everyEncodedMessageValidatesAgainstItsSchema() {
    ProtocolDoc doc = doc();
    for (byte[] m : encodedSamples()) {
      JsonNode node = tree(m);
      assertThat(doc.errors(node)).as("%s", node).isEmpty();
      assertThat(doc.strictErrors(node)).as("every field of %s is listed", node).isEmpty();
    }
  }

  @Test
  void everyFieldTheSchemasListIsWrittenByTheCode() {
    ProtocolDoc doc = doc();
    Map<String, Set<String>> written = new LinkedHashMap<>();
    for (byte[] m : encodedSamples()) {
      JsonNode node = tree(m);
      written
          .computeIfAbsent(node.get("type").asText(), k -> new TreeSet<>())
          .addAll(ProtocolDoc.presentPaths(node, MAPS, OPAQUE));
    }
    for (String type : doc.types()) {
      assertThat(written.getOrDefault(type, Set.of()))
          .as("the fields of %s the code writes", type)
          .containsAll(doc.declaredPaths(type));
    }
  }

  @Test
  void requiredFieldsAreThoseTheEncoderAlwaysWrites() {
    ProtocolDoc doc = doc();
    Map<String, List<JsonNode>> byType = new LinkedHashMap<>();
    for (byte[] m : encodedSamples()) {
      JsonNode node = tree(m);
      byType.computeIfAbsent(node.get("type").asText(), k -> new ArrayList<>()).add(node);
    }
    for (String type : doc.types()) {
      JsonNode schema = doc.entry(type).schemaNode();
      Set<String> required = new TreeSet<>();
      schema.path("required").forEach(r -> required.add(r.asText()));
      Set<String> always = null;
      Set<String> sometimes = new TreeSet<>();
      for (JsonNode n : byType.get(type)) {
        Set<String> names = new TreeSet<>();
        n.fieldNames().forEachRemaining(names::add);
        sometimes.addAll(names);
        if (always == null) {
          always = names;
        } else {
          always.retainAll(names);
        }
      }
      assertThat(required).as("the required fields of %s", type).isEqualTo(always);
      Set<String> optional = new TreeSet<>(sometimes);
      optional.removeAll(always);
      Set<String> listed = new TreeSet<>();
      schema.path("properties").fieldNames().forEachRemaining(listed::add);
      assertThat(listed).as("the fields of %s", type).isEqualTo(sometimes);
      assertThat(optional)
          .as("the optional fields of %s are not required", type)
          .doesNotContainAnyElementsOf(required);
    }
  }

  @Test
  void theSchemasRejectWhatTheDecoderRejects() {
    ProtocolDoc doc = doc();
    ObjectNode hello = (ObjectNode) tree(AgentWire.write(LINK, agentSamples().getFirst()));
    hello.put("v", 2);
    assertThat(doc.errors(hello)).isNotEmpty();
    assertThatThrownBy(() -> AgentWire.read(bytes(hello), MAX))
        .isInstanceOfSatisfying(
            WireException.class, e -> assertThat(e.kind()).isEqualTo(WireException.Kind.VERSION));

    ObjectNode progressed =
        (ObjectNode)
            tree(AgentWire.write(LINK, new AgentMessage.Progressed(3, TaskStatus.RUNNING)));
    progressed.put("phase", "QUEUED");
    assertThat(doc.errors(progressed)).isNotEmpty();
    assertMalformed(() -> AgentWire.read(bytes(progressed), MAX));

    ObjectNode ack = (ObjectNode) tree(CoreWire.write(new CoreMessage.ResultAck(3)));
    ack.remove("token");
    assertThat(doc.errors(ack)).isNotEmpty();
    assertMalformed(() -> CoreWire.read(bytes(ack), MAX));

    ObjectNode status = (ObjectNode) tree(CoreWire.status(new CoreWire.Status(true, "i")));
    status.put("state", "asleep");
    assertThat(doc.errors(status)).isNotEmpty();
    assertMalformed(() -> CoreWire.readStatus(bytes(status), MAX));

    ObjectNode dispatch = (ObjectNode) tree(CoreWire.write(fullDispatch()));
    ((ObjectNode) dispatch.get("test").get("metadata")).putNull("nothing");
    assertThat(doc.errors(dispatch)).isNotEmpty();
    assertMalformed(() -> CoreWire.read(bytes(dispatch), MAX));

    ObjectNode cache = (ObjectNode) tree(CoreWire.write(fullDispatch()));
    ((ObjectNode) cache.at("/test/container/caches/0")).put("path", "relative");
    assertThat(doc.errors(cache)).isNotEmpty();
    assertMalformed(() -> CoreWire.read(bytes(cache), MAX));

    ObjectNode unknown = (ObjectNode) tree(CoreWire.write(new CoreMessage.ResultAck(3)));
    unknown.put("type", "teleport");
    assertThat(doc.errors(unknown)).isNotEmpty();
    assertThatThrownBy(() -> CoreWire.read(bytes(unknown), MAX))
        .isInstanceOfSatisfying(
            WireException.class,
            e -> assertThat(e.kind()).isEqualTo(WireException.Kind.UNKNOWN_TYPE));

    ObjectNode extra = (ObjectNode) tree(CoreWire.write(new CoreMessage.ResultAck(3)));
    extra.put("future", "ignored");
    assertThat(doc.errors(extra)).isEmpty();
    assertThat(decodeCore(bytes(extra))).isEqualTo(new CoreMessage.ResultAck(3));

    byte[] big = new byte[1025];
    Arrays.fill(big, (byte) ' ');
    assertThatThrownBy(() -> CoreWire.read(big, 1024))
        .isInstanceOfSatisfying(
            WireException.class, e -> assertThat(e.kind()).isEqualTo(WireException.Kind.OVERSIZED));
  }

  // (4) the examples decode, and encode back to themselves

  @Test
  void everyExampleDecodesAndEncodesBackToItself() throws Exception {
    ProtocolDoc doc = doc();
    for (String type : doc.types()) {
      byte[] example =
          doc.entry(type).example().orElseThrow().strip().getBytes(StandardCharsets.UTF_8);
      byte[] again;
      if (type.equals("core")) {
        again = CoreWire.status(CoreWire.readStatus(example, MAX));
      } else if (CORE_TYPES.containsKey(type)) {
        CoreMessage m = CoreWire.read(example, MAX);
        assertThat(m).isInstanceOf(CORE_TYPES.get(type));
        again = CoreWire.write(m);
      } else {
        AgentWire.Received r = AgentWire.read(example, MAX);
        assertThat(r.link()).isEqualTo(LINK);
        if (type.equals("gone")) {
          assertThat(r.message()).isEmpty();
          again = AgentWire.gone(r.link());
        } else {
          assertThat(r.message()).containsInstanceOf(AGENT_TYPES.get(type));
          again = AgentWire.write(r.link(), r.message().orElseThrow());
        }
      }
      assertThat(normalized(tree(again)))
          .as("the example of %s, decoded and encoded again", type)
          .isEqualTo(normalized(tree(example)));
    }
  }

  // (3) a real exchange on a mosquitto broker

  @Test
  void everyMessageOfARealExchangeValidates() throws Exception {
    ProtocolDoc doc = doc();
    Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
    List<Recorded> records = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient recorder =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("recorder-" + UUID.randomUUID())
            .serverHost("127.0.0.1")
            .serverPort(broker.port())
            .buildAsync();
    TcpProxy coreProxy = new TcpProxy(broker.port());
    TcpProxy a1Proxy = new TcpProxy(broker.port());
    MqttCoreTransport transport = MqttCoreTransport.create(settings(coreProxy.port()));
    MqttAgentLink link1 = MqttAgentLink.create(settings(a1Proxy.port()), "a1");
    MqttAgentLink link2 = MqttAgentLink.create(settings(broker.port()), "a2");
    Topics topics = new Topics("schema");
    InMemoryFiles files = new InMemoryFiles();
    FakeEngine engine =
        new FakeEngine()
            .on("pass", FakeEngine.Outcome.passing("c1", "c2"))
            .on("refused", FakeEngine.Outcome.refused(FailureKind.POLICY_REFUSED, "no network"))
            .on("hang", new FakeEngine.Outcome.Hang());
    Path build = Files.createDirectories(tmp.resolve("build"));
    Files.writeString(build.resolve("bin"), "unused");
    ProteusCore core =
        ProteusCore.builder()
            .transport(transport)
            .filesPublisher(files)
            .heartbeatTimeout(Duration.ofSeconds(10))
            .abortGrace(Duration.ofSeconds(2))
            .storage(Files.createDirectories(tmp.resolve("storage")), 1L << 30)
            .build()
            .start();
    Agent a1 = agent("a1", engine, files);
    Agent a2 = agent("a2", engine, files);
    try {
      recorder.publishes(
          MqttGlobalPublishFilter.ALL,
          p ->
              records.add(
                  new Recorded(
                      p.getTopic().toString(),
                      new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8),
                      p.getQos(),
                      p.isRetain())));
      recorder.connect().get();
      recorder
          .subscribe(
              Mqtt5Subscribe.builder()
                  .topicFilter("proteus/v1/#")
                  .qos(MqttQos.AT_LEAST_ONCE)
                  .retainAsPublished(true)
                  .build())
          .get();
      // the retained status, as a new subscriber gets it
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> records.stream().anyMatch(r -> r.is("core") && r.retain()));
      a1.start(link1);
      a2.start(link2);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> count(records, "hello") >= 2 && core.workers().size() == 2);

      // a plan: a pass (accepted, progressed, completed, resultAck) and a refusal (failed)
      JobId first = submit(core, build, "b1", "pass", "refused");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> core.job(first).orElseThrow().status().isFinal());
      // an attempt aborted while it runs (abort, released)
      JobId second = submit(core, build, "b2", "hang");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() ->
              core.job(second).orElseThrow().tasks().getFirst().status() == TaskStatus.RUNNING);
      core.cancel(second);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() ->
              count(records, "released") >= 1
                  && a1.unacknowledged().isEmpty()
                  && a2.unacknowledged().isEmpty());

      // an agent the core does not know (rejoin)
      recorder
          .publishWith()
          .topic(topics.toCore("stranger"))
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(AgentWire.write("stranger-link", new AgentMessage.Heartbeat()))
          .send()
          .get();
      await().atMost(Duration.ofSeconds(20)).until(() -> count(records, "rejoin") >= 1);

      // the core's connection lost (its will), then back with a new incarnation: hello again
      long hellos = count(records, "hello");
      coreProxy.cut();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() ->
              records.stream()
                  .anyMatch(r ->
                      r.is("core")
                          && r.json().get("state").asText().equals("offline")
                          && r.json().get("incarnation").asText().isEmpty()));
      coreProxy.restore();
      await().atMost(Duration.ofSeconds(30)).until(() -> count(records, "hello") >= hellos + 2);

      // an agent's connection lost for longer than the will delay (gone)
      a1Proxy.cut();
      await().atMost(Duration.ofSeconds(20)).until(() -> count(records, "gone") >= 1);
      // an agent that drains and leaves (draining, bye)
      a2.drain(Duration.ofSeconds(5)).get(20, java.util.concurrent.TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> count(records, "draining") >= 1 && count(records, "bye") >= 1);
      // the core stops (offline, retained)
      core.stop(Duration.ZERO);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() ->
              records.stream()
                  .anyMatch(r ->
                      r.is("core")
                          && r.json().get("state").asText().equals("offline")
                          && !r.json().get("incarnation").asText().isEmpty()));
    } finally {
      a1.stop();
      a2.stop();
      core.stop(Duration.ZERO);
      recorder.disconnect().get();
      coreProxy.close();
      a1Proxy.close();
      broker.close();
    }

    Set<String> seen = new TreeSet<>();
    for (Recorded r : records) {
      JsonNode node = r.json();
      String type = node.get("type").asText();
      seen.add(type);
      assertThat(doc.errors(node)).as("%s on %s", node, r.topic()).isEmpty();
      assertThat(doc.strictErrors(node)).as("every field of %s is listed", node).isEmpty();
      assertThat(r.qos())
          .as("the QoS of %s", node)
          .isEqualTo(type.equals("output") ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE);
      if (type.equals("core")) {
        assertThat(r.topic()).isEqualTo(topics.coreStatus());
        assertThat(r.retain()).as("the status is retained").isTrue();
        CoreWire.readStatus(r.payload(), MAX);
      } else if (CORE_TYPES.containsKey(type)) {
        assertThat(r.topic()).matches("proteus/v1/schema/agents/[A-Za-z0-9._-]+/to-agent");
        assertThat(r.retain()).isFalse();
        CoreWire.read(r.payload(), MAX);
      } else {
        String agent = r.topic().replaceAll("^proteus/v1/schema/agents/([^/]+)/to-core$", "$1");
        assertThat(topics.toCore(agent)).isEqualTo(r.topic());
        assertThat(r.retain()).isFalse();
        AgentWire.Received got = AgentWire.read(r.payload(), MAX);
        if (type.equals("hello")) {
          assertThat(node.at("/agent/id").asText()).isEqualTo(agent);
        }
        if (!agent.equals("stranger")) {
          assertThat(got.link()).isEqualTo(linkOf(records, agent));
        }
      }
    }
    assertThat(seen).containsAll(doc.types());
    assertThat(transport.stats().dropped())
        .doesNotContainKeys(
            "malformed", "version", "oversized", "unknown_type", "spoofed", "topic");
    assertThat(link1.stats().dropped())
        .doesNotContainKeys("malformed", "version", "oversized", "unknown_type", "topic");
    assertThat(link2.stats().dropped())
        .doesNotContainKeys("malformed", "version", "oversized", "unknown_type", "topic");
  }

  private record Recorded(String topic, String text, MqttQos qos, boolean retain) {
    byte[] payload() {
      return text.getBytes(StandardCharsets.UTF_8);
    }

    JsonNode json() {
      return ProtocolDoc.tree(text);
    }

    boolean is(String type) {
      return json().path("type").asText().equals(type);
    }
  }

  private static long count(List<Recorded> records, String type) {
    return records.stream().filter(r -> r.is(type)).count();
  }

  /** The link of the first hello of {@code agent}: every message of its one link carries it. */
  private static String linkOf(List<Recorded> records, String agent) {
    return records.stream()
        .filter(r -> r.is("hello") && r.json().at("/agent/id").asText().equals(agent))
        .map(r -> r.json().get("link").asText())
        .findFirst()
        .orElseThrow();
  }

  private static MqttSettings settings(int port) {
    return MqttSettings.builder("127.0.0.1", port)
        .namespace("schema")
        .willDelay(Duration.ofSeconds(1))
        .keepAlive(Duration.ofSeconds(5))
        .reconnectMaxDelay(Duration.ofMillis(500))
        .connectTimeout(Duration.ofSeconds(3))
        .build();
  }

  private Agent agent(String id, FakeEngine engine, InMemoryFiles files) {
    return Agent.builder(id, engine.platform("linux"))
        .workRoot(tmp.resolve("agents").resolve(id))
        .files(files)
        .heartbeatInterval(Duration.ofMillis(200))
        .resendInterval(Duration.ofMillis(500))
        .leaveGrace(Duration.ofSeconds(2))
        .build();
  }

  private static JobId submit(ProteusCore core, Path build, String id, String... tests) {
    List<TestSpec> specs = new ArrayList<>();
    for (String t : tests) {
      specs.add(TestSpec.of(t, "bin", Optional.empty(), List.of()));
    }
    TestPlan plan = new TestPlan("p", "1", List.of("linux"), "default", Optional.empty(), specs);
    return core.submit(new Build(id, List.of(plan), BuildFiles.ofFolder(build), Reservation.NONE))
        .getFirst();
  }

  // the samples

  private static List<byte[]> encodedSamples() {
    List<byte[]> out = new ArrayList<>();
    agentSamples().forEach(m -> out.add(AgentWire.write(LINK, m)));
    out.add(AgentWire.gone(LINK));
    coreSamples().forEach(m -> out.add(CoreWire.write(m)));
    out.add(CoreWire.status(new CoreWire.Status(true, UUID.randomUUID().toString())));
    out.add(CoreWire.status(new CoreWire.Status(false, UUID.randomUUID().toString())));
    out.add(CoreWire.status(new CoreWire.Status(false, "")));
    return out;
  }

  private static List<AgentMessage> agentSamples() {
    List<AgentMessage> out = new ArrayList<>();
    out.add(
        new AgentMessage.Hello(
            new WorkerDescriptor("lab-7", "lab", "linux", Set.of("gpu", "adb"), Optional.of("n")),
            UUID.randomUUID().toString(),
            Set.of(4711L, Long.MAX_VALUE, Long.MIN_VALUE),
            1));
    out.add(
        new AgentMessage.Hello(
            WorkerDescriptor.of("a", "default", "linux"),
            UUID.randomUUID().toString(),
            Set.of(),
            1));
    out.add(new AgentMessage.Accepted(4711));
    out.add(new AgentMessage.Accepted(Long.MAX_VALUE));
    out.add(new AgentMessage.Progressed(4711, TaskStatus.RUNNING));
    out.add(new AgentMessage.Progressed(4711, TaskStatus.UPLOADING));
    out.add(
        new AgentMessage.Completed(
            4711,
            new AttemptReport(
                1,
                List.of(
                    new TestCaseResult(
                        "login",
                        CaseStatus.PASSED,
                        Optional.empty(),
                        Duration.ofMillis(1200),
                        true),
                    new TestCaseResult(
                        "logout",
                        CaseStatus.FAILED,
                        Optional.of("timeout"),
                        Duration.ofSeconds(3),
                        true),
                    new TestCaseResult(
                        "extra", CaseStatus.SKIPPED, Optional.of("n/a"), Duration.ZERO, false)),
                Optional.of("/var/lib/proteus/logs/4711.log"),
                Duration.ofMillis(5230))));
    out.add(
        new AgentMessage.Completed(
            -3, new AttemptReport(Integer.MIN_VALUE, List.of(), Optional.empty(), Duration.ZERO)));
    for (FailureKind kind : FailureKind.values()) {
      out.add(new AgentMessage.Failed(4712, Failure.of(kind, "because " + kind), Optional.empty()));
    }
    out.add(
        new AgentMessage.Failed(
            4712,
            Failure.nonRetryable(FailureKind.BAD_BUILD, "no bin/app"),
            Optional.of("/logs/4712.log")));
    out.add(new AgentMessage.Released(4711, Optional.empty()));
    out.add(new AgentMessage.Released(4711, Optional.of("/logs/4711.log")));
    out.add(new AgentMessage.Output(4711, List.of("compiling", "", "ünïcode \"quoted\""), 0));
    out.add(new AgentMessage.Output(4711, List.of(), 3000));
    out.add(new AgentMessage.Heartbeat());
    out.add(new AgentMessage.Draining(Duration.ofSeconds(30), "its host asked it to shut down"));
    out.add(new AgentMessage.Bye("the agent stopped"));
    return out;
  }

  private static List<CoreMessage> coreSamples() {
    List<CoreMessage> out = new ArrayList<>();
    out.add(fullDispatch());
    out.add(
        new CoreMessage.Dispatch(
            1,
            new TaskId(new JobId("j"), 0),
            1,
            TestSpec.of("t", "bin", Optional.empty(), List.of()),
            "linux",
            Duration.ofMinutes(10),
            FilesRef.unpublished()));
    out.add(
        new CoreMessage.Dispatch(
            Long.MIN_VALUE,
            new TaskId(new JobId("j"), Integer.MAX_VALUE),
            Integer.MAX_VALUE,
            TestSpec.builder("t", "bin")
                .container(ContainerRequest.builder().dockerfile("Dockerfile").build())
                .build(),
            "linux",
            Duration.ZERO,
            FilesRef.at(URI.create("memory:/jobs/j"))));
    out.add(new CoreMessage.Abort(4711, "the job was cancelled"));
    out.add(new CoreMessage.ResultAck(4711));
    out.add(new CoreMessage.Rejoin("the core does not know this agent's session"));
    return out;
  }

  private static CoreMessage.Dispatch fullDispatch() {
    Map<String, Object> device = new LinkedHashMap<>();
    device.put("model", "pixel-8");
    device.put("api", 34);
    device.put("ratio", 2.5);
    device.put("rooted", false);
    device.put("slots", Arrays.asList(1, null, "x", List.of(Map.of("deep", List.of(true)))));
    Map<String, FilesRef.FileInfo> manifest = new LinkedHashMap<>();
    manifest.put("bin/app", new FilesRef.FileInfo(20, Optional.of("5f0c".repeat(16))));
    manifest.put("scenarios/login.sh", new FilesRef.FileInfo(7, Optional.empty()));
    TestSpec test =
        TestSpec.builder("login", "bin/app")
            .scenario("scenarios/login.sh")
            .expectations(List.of("login", "logout"))
            .metadata(Map.of("device", device, "name", "x", "count", 3, "list", List.of("a")))
            .timeout(Duration.ofMinutes(5))
            .tags(Set.of("adb", "gpu"))
            .resources(Set.of("phone-1"))
            .environment(Map.of("LOG_LEVEL", "debug", "EMPTY", ""))
            .arguments(List.of("--fast", "--seed=1"))
            .topic("nightly")
            .queueTimeout(Optional.of(Duration.ofHours(1)))
            .noOutputTimeout(Optional.of(Duration.ofMinutes(1)))
            .cancelGrace(Optional.of(Duration.ofSeconds(10)))
            .container(
                ContainerRequest.builder()
                    .image("debian:12")
                    .network(true)
                    .memoryBytes(1L << 30)
                    .cpus(1.5)
                    .pids(256)
                    .user("1000")
                    .privileged(true)
                    .addCache(new CacheMount("gradle", "/root/.gradle", false))
                    .addCache(new CacheMount("m2.repo", "/root/.m2", true))
                    .addService(
                        new ServiceRequest(
                            "db",
                            "postgres:16",
                            List.of("postgres", "-c", "fsync=off"),
                            Map.of("POSTGRES_PASSWORD", "test")))
                    .addService(new ServiceRequest("cache-1", "redis:7", List.of(), Map.of()))
                    .build())
            .build();
    return new CoreMessage.Dispatch(
        4711,
        new TaskId(new JobId("build-42-smoke-linux-k3j9"), 3),
        2,
        test,
        "linux",
        Duration.ofMinutes(5),
        new FilesRef(
            URI.create("https://core.example:8443/v1/jobs/build-42-smoke-linux-k3j9/"),
            Optional.of("q3Jx0rVt1m6bJp7kS2cN9wXyZ4aB5dE8fG0hI1jK2lM"),
            manifest));
  }

  // helpers

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static CoreMessage decodeCore(byte[] payload) {
    try {
      return CoreWire.read(payload, MAX);
    } catch (WireException e) {
      return fail("does not decode: " + e.getMessage());
    }
  }

  private interface Decoding {
    void run() throws Exception;
  }

  private static void assertMalformed(Decoding decoding) {
    assertThatThrownBy(decoding::run)
        .isInstanceOfSatisfying(
            WireException.class, e -> assertThat(e.kind()).isEqualTo(WireException.Kind.MALFORMED));
  }

  /** {@code node} with every array of scalars sorted, since sets have no order. */
  private static JsonNode normalized(JsonNode node) {
    JsonNode copy = node.deepCopy();
    sortScalars(copy);
    return copy;
  }

  private static void sortScalars(JsonNode node) {
    if (node.isObject()) {
      node.forEach(ProtocolSchemaTest::sortScalars);
    } else if (node.isArray()) {
      ArrayNode a = (ArrayNode) node;
      a.forEach(ProtocolSchemaTest::sortScalars);
      boolean scalars = true;
      for (JsonNode n : a) {
        scalars &= n.isValueNode();
      }
      if (scalars) {
        List<JsonNode> items = new ArrayList<>();
        a.forEach(items::add);
        List<JsonNode> sorted =
            items.stream().sorted((x, y) -> x.toString().compareTo(y.toString())).toList();
        a.removeAll();
        sorted.forEach(a::add);
      }
    }
  }
}
