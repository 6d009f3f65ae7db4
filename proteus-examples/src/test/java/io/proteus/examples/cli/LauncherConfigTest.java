package io.proteus.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings of proteus core and worker: layers, checks and the messages that name the key. */
class LauncherConfigTest extends CapturedStreams {
  @TempDir Path tmp;

  private Path yaml(String... lines) throws Exception {
    return Files.writeString(tmp.resolve("proteus.yaml"), String.join("\n", lines) + "\n");
  }

  private String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void eachLayerOverridesTheOneBeforeIt() throws Exception {
    Path file = yaml("mqtt:", "  host: from-file", "  port: 1884", "worker.id: w1");
    LauncherConfig c =
        LauncherConfig.load(
            file,
            Map.of("PROTEUS_MQTT_PORT", "1885", "PROTEUS_MQTT_KEEPALIVE", "20s", "HOME", "/x"),
            List.of("mqtt.keepAlive=PT30S"),
            "worker");
    assertThat(c.string("mqtt.host")).isEqualTo("from-file");
    assertThat(c.integer("mqtt.port")).isEqualTo(1885);
    assertThat(c.where("mqtt.port")).isEqualTo("the environment variable PROTEUS_MQTT_PORT");
    assertThat(c.duration("mqtt.keepAlive")).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.string("mqtt.namespace")).isEqualTo("default");
    assertThat(c.where("mqtt.host")).endsWith("proteus.yaml line 2");
    assertThat(c.string("worker.id")).isEqualTo("w1");
  }

  @Test
  void anUnknownKeyStopsTheWorkerWithCode2NamingItsFileAndLine() throws Exception {
    Path file = yaml("mqtt:", "  host: localhost", "  hots: typo", "worker.id: w1");
    assertThat(ProteusMain.execute("worker", "--config", file.toString())).isEqualTo(2);
    assertThat(errors()).contains("unknown key mqtt.hots").contains("proteus.yaml line 3");
  }

  @Test
  void aValueOfTheWrongTypeNamesTheKeyAndTheValue() throws Exception {
    Path file = yaml("mqtt.port: not-a-port", "worker.id: w1");
    assertThat(ProteusMain.execute("worker", "--config", file.toString())).isEqualTo(2);
    assertThat(errors())
        .contains("proteus.yaml line 1: mqtt.port must be a port number from 1 to 65535")
        .contains("'not-a-port'");
  }

  @Test
  void anMqttDurationThatIsNotWholeSecondsNamesTheKeyAndWhereItWasSet() throws Exception {
    Path file = yaml("mqtt:", "  keepAlive: 1500ms", "worker.id: w1");
    assertThat(ProteusMain.execute("worker", "--config", file.toString())).isEqualTo(2);
    assertThat(errors())
        .contains("mqtt.keepAlive (")
        .contains("proteus.yaml line 2")
        .contains("must be whole seconds");
  }

  @Test
  void anOutOfRangeValueOrAListForAScalarIsRefused() throws Exception {
    assertThatThrownBy(
            () -> LauncherConfig.load(yaml("mqtt.port: 70000"), Map.of(), List.of(), "mqtt"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("mqtt.port must be a port number");
    assertThatThrownBy(
            () -> LauncherConfig.load(yaml("mqtt:", "  host: [a, b]"), Map.of(), List.of()))
        .hasMessageContaining("mqtt.host must be text, not a list");
    assertThatThrownBy(() -> LauncherConfig.load(yaml("mqtt.keepAlive: -5s"), Map.of(), List.of()))
        .hasMessageContaining("mqtt.keepAlive must be a positive duration");
  }

  @Test
  void aMissingRequiredKeyNamesItAndItsVariable() throws Exception {
    Path file = yaml("mqtt.host: localhost");
    assertThat(ProteusMain.execute("worker", "--config", file.toString())).isEqualTo(2);
    assertThat(errors())
        .contains("the required key worker.id is missing")
        .contains("PROTEUS_WORKER_ID");
    assertThat(ProteusMain.execute("core", "--config", file.toString())).isEqualTo(2);
    assertThat(errors()).contains("the required key core.inbox is missing");
  }

  @Test
  void aBadEnvironmentOverrideNamesTheVariable() {
    assertThatThrownBy(() -> LauncherConfig.load(null, Map.of("PROTEUS_MQTT_PORT", "x"), List.of()))
        .hasMessageContaining("the environment variable PROTEUS_MQTT_PORT: mqtt.port must be");
    assertThatThrownBy(() -> LauncherConfig.load(null, Map.of("PROTEUS_MQTT_HOTS", "x"), List.of()))
        .hasMessageContaining("PROTEUS_MQTT_HOTS names no key");
  }

  @Test
  void aDuplicateKeyOrBrokenYamlIsRefused() throws Exception {
    assertThatThrownBy(
            () -> LauncherConfig.load(yaml("mqtt:", "  host: a", "  host: b"), Map.of(), List.of()))
        .hasMessageContaining("proteus.yaml line 3");
    assertThatThrownBy(() -> LauncherConfig.load(yaml("mqtt: [", "  host"), Map.of(), List.of()))
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void thePasswordIsNeverPrinted() throws Exception {
    Path file = yaml("mqtt.username: u", "mqtt.password: s3cret-value", "mqtt.keepAlive: 0.5s");
    assertThat(ProteusMain.execute("worker", "--config", file.toString(), "--set", "worker.id=w"))
        .isEqualTo(2);
    Path both =
        yaml(
            "mqtt.username: u",
            "mqtt.password: s3cret-value",
            "mqtt.passwordFile: /nonexistent",
            "worker.id: w");
    assertThat(ProteusMain.execute("worker", "--config", both.toString())).isEqualTo(2);
    assertThat(errors()).contains("mqtt.password").doesNotContain("s3cret-value");
    assertThat(stdout()).doesNotContain("s3cret-value");
  }

  @Test
  void everyCommandHasHelpForEveryOption() {
    for (String command : List.of("core", "worker", "broker", "demo")) {
      assertThat(ProteusMain.execute(command, "--help")).isZero();
    }
    assertThat(stdout())
        .contains("--config=FILE", "--set=KEY=VALUE", "--port=N", "--data=DIR", "--distributed")
        .contains("--broker=HOST:PORT")
        .doesNotContain("--exit-with", "--crash-on-first-task");
  }
}
