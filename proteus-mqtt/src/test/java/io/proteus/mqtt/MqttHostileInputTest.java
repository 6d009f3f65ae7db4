package io.proteus.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.proteus.model.JobId;
import io.proteus.model.TaskStatus;
import io.proteus.testkit.junit5.Mosquitto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever anyone publishes on the topics the core and the agents subscribe to is counted by kind
 * and dropped: the fleet keeps working.
 */
class MqttHostileInputTest {
  private static final int MAX = 8 * 1024;

  @TempDir Path tmp;
  Mosquitto broker;
  Fleet fleet;
  Mqtt5BlockingClient raw;

  @BeforeEach
  void start() throws Exception {
    broker = Mosquitto.start(tmp.resolve("broker"));
    fleet = new Fleet(tmp.resolve("fleet"), broker.port(), b -> b.maxMessageBytes(MAX));
    fleet.agent("a1");
    raw =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("hostile")
            .serverHost("127.0.0.1")
            .serverPort(broker.port())
            .buildBlocking();
    raw.connect();
  }

  @AfterEach
  void stop() throws Exception {
    raw.disconnect();
    fleet.close();
    broker.close();
  }

  private void publish(String topic, String payload) {
    publish(topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  private void publish(String topic, byte[] payload) {
    raw.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
  }

  @Test
  void badMessagesToTheCoreAreCountedByKindAndTheFleetKeepsWorking() {
    String toCore = "proteus/v1/fleet/agents/x1/to-core";
    publish(toCore, "not json at all");
    publish(toCore, "{\"v\":1,\"type\":\"hello\",\"type\":\"bye\",\"link\":\"l\"}");
    publish(toCore, "[".repeat(2000) + "]".repeat(2000));
    publish(toCore, "{\"v\":2,\"type\":\"heartbeat\",\"link\":\"l\"}");
    publish(toCore, "{\"v\":\"1\",\"type\":\"heartbeat\",\"link\":\"l\"}");
    publish(toCore, "{\"v\":1,\"type\":\"teleport\",\"link\":\"l\"}");
    publish(toCore, "{\"v\":1,\"type\":\"accepted\",\"link\":\"l\",\"token\":1e400}");
    publish(toCore, "{\"v\":1,\"type\":\"progressed\",\"link\":\"l\",\"token\":1,\"phase\":\"X\"}");
    publish(toCore, "{\"v\":1,\"type\":\"completed\",\"link\":\"l\",\"token\":1}");
    publish(toCore, new byte[MAX + 1]);
    publish(toCore, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    publish(
        toCore,
        "{\"v\":1,\"type\":\"hello\",\"link\":\"l\",\"session\":\"s\",\"held\":[],"
            + "\"agent\":{\"id\":\"a1\",\"pool\":\"default\",\"platform\":\"linux\",\"tags\":[]}}");
    publish("proteus/v1/fleet/agents/" + "x".repeat(65) + "/to-core", "{}");
    await()
        .atMost(Fleet.LIMIT)
        .untilAsserted(() -> {
          MqttStats s = fleet.transport.stats();
          assertThat(s.dropped("malformed")).isEqualTo(8);
          assertThat(s.dropped("version")).isEqualTo(1);
          assertThat(s.dropped("unknown_type")).isEqualTo(1);
          assertThat(s.dropped("oversized")).isEqualTo(1);
          assertThat(s.dropped("spoofed")).isEqualTo(1);
          assertThat(s.dropped("topic")).isEqualTo(1);
        });
    assertThat(fleet.core.workers()).extracting(w -> w.descriptor().id()).containsExactly("a1");
    JobId job = fleet.submit(List.of(Fleet.test("t", 0, 0)));
    assertThat(fleet.awaitDone(job).tasks().getFirst().status()).isEqualTo(TaskStatus.PASSED);
  }

  @Test
  void badMessagesToAnAgentAndToTheCoresStatusAreCountedAndTheAgentKeepsWorking() {
    String toAgent = "proteus/v1/fleet/agents/a1/to-agent";
    publish(toAgent, "{{{");
    publish(toAgent, "{\"v\":9,\"type\":\"dispatch\"}");
    publish(toAgent, "{\"v\":1,\"type\":\"dispatch\",\"token\":5}");
    publish(toAgent, "{\"v\":1,\"type\":\"selfdestruct\"}");
    publish(toAgent, new byte[MAX + 100]);
    publish("proteus/v1/fleet/core/status", "{\"v\":1,\"type\":\"core\",\"state\":\"maybe\"}");
    MqttAgentLink link = fleet.links.get("a1");
    await()
        .atMost(Fleet.LIMIT)
        .untilAsserted(() -> {
          MqttStats s = link.stats();
          assertThat(s.dropped("malformed")).isEqualTo(3);
          assertThat(s.dropped("version")).isEqualTo(1);
          assertThat(s.dropped("unknown_type")).isEqualTo(1);
          assertThat(s.dropped("oversized")).isEqualTo(1);
        });
    JobId job = fleet.submit(List.of(Fleet.test("t", 0, 0)));
    assertThat(fleet.awaitDone(job).tasks().getFirst().status()).isEqualTo(TaskStatus.PASSED);
  }
}
