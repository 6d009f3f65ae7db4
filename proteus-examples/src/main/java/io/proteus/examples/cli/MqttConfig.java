package io.proteus.examples.cli;

import io.proteus.mqtt.MqttSettings;
import java.util.Optional;

/** The {@code mqtt.*} keys as {@link MqttSettings}. */
final class MqttConfig {
  private MqttConfig() {}

  /** The settings the configuration asks for, checked. */
  static MqttSettings settings(LauncherConfig config) throws ConfigException {
    Optional<String> password = config.optionalString("mqtt.password");
    if (config.path("mqtt.passwordFile").isPresent()) {
      if (password.isPresent()) {
        throw new ConfigException(
            "mqtt.password ("
                + config.where("mqtt.password")
                + ") and mqtt.passwordFile ("
                + config.where("mqtt.passwordFile")
                + ") are both set; set one");
      }
      password = Optional.of(Stores.firstLine(config, "mqtt.passwordFile"));
    }
    Optional<String> user = config.optionalString("mqtt.username");
    if (password.isPresent() && user.isEmpty()) {
      throw new ConfigException("a broker password is set but mqtt.username is not");
    }
    MqttSettings.Builder b;
    try {
      b = MqttSettings.builder(config.string("mqtt.host"), config.integer("mqtt.port"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("mqtt.host (" + config.where("mqtt.host") + "): " + e.getMessage());
    }
    b.namespace(config.string("mqtt.namespace"));
    if (password.isPresent()) {
      b.credentials(user.orElseThrow(), password.get());
    } else {
      user.ifPresent(b::username);
    }
    Optional<javax.net.ssl.TrustManagerFactory> trust =
        Stores.trust(config, "mqtt.tls.trustStore", "mqtt.tls.trustStorePassword");
    trust.ifPresent(b::tls);
    b.keepAlive(config.duration("mqtt.keepAlive"))
        .connectTimeout(config.duration("mqtt.connectTimeout"))
        .willDelay(config.duration("mqtt.willDelay"))
        .sessionExpiry(config.duration("mqtt.sessionExpiry"))
        .reconnectMaxDelay(config.duration("mqtt.reconnectMaxDelay"));
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      String[] parts = String.valueOf(e.getMessage()).split(" ", 2);
      String key = "mqtt." + parts[0];
      throw new ConfigException(
          key + " (" + config.where(key) + "): " + (parts.length > 1 ? parts[1] : ""));
    }
  }
}
