package io.proteus.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settings are checked where they are made, naming what is wrong, and never show a password. */
class MqttSettingsTest {
  @Test
  void theDefaultsAreTheDocumentedOnes() {
    MqttSettings s = MqttSettings.builder("broker", 1883).build();
    assertThat(s.namespace()).isEqualTo("default");
    assertThat(s.keepAlive()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.sessionExpiry()).isEqualTo(Duration.ofHours(1));
    assertThat(s.willDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.maxMessageBytes()).isEqualTo(1 << 20);
    assertThat(s.maxPendingPublishes()).isEqualTo(10_000);
    assertThat(s.toBuilder().build()).isEqualTo(s);
  }

  @Test
  void thePasswordIsNeverShown() {
    MqttSettings s = MqttSettings.builder("broker", 8883).credentials("core", "hunter2").build();
    assertThat(s.toString()).contains("core").contains("broker:8883").doesNotContain("hunter2");
  }

  @Test
  void badSettingsNameTheSetting() {
    assertThatThrownBy(() -> MqttSettings.builder("h", 0).build()).hasMessageContaining("port");
    assertThatThrownBy(() -> MqttSettings.builder(" ", 1).build()).hasMessageContaining("host");
    assertThatThrownBy(() -> MqttSettings.builder("h", 1).namespace("a/b").build())
        .hasMessageContaining("namespace");
    assertThatThrownBy(() -> MqttSettings.builder("h", 1).namespace("#").build())
        .hasMessageContaining("namespace");
    assertThatThrownBy(
            () -> MqttSettings.builder("h", 1).keepAlive(Duration.ofMillis(1500)).build())
        .hasMessageContaining("keepAlive");
    assertThatThrownBy(() -> MqttSettings.builder("h", 1).willDelay(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("willDelay");
    assertThatThrownBy(() -> MqttSettings.builder("h", 1).maxMessageBytes(10).build())
        .hasMessageContaining("maxMessageBytes");
    assertThatThrownBy(() -> MqttSettings.builder("h", 1).connectTimeout(Duration.ZERO).build())
        .hasMessageContaining("connectTimeout");
  }

  @Test
  void anAgentIdThatCannotBeATopicLevelIsRefused() {
    MqttSettings s = MqttSettings.builder("h", 1).build();
    for (String bad : new String[] {"", "a/b", "a+b", "#", "x".repeat(65), "sp ace", "ü"}) {
      assertThatThrownBy(() -> MqttAgentLink.create(s, bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("agent id");
    }
    assertThat(MqttSettings.isValidName("lab-7.gpu_2")).isTrue();
  }
}
