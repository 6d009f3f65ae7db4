package io.proteus.mqtt.internal;

import io.proteus.mqtt.MqttSettings;
import java.util.Optional;

/**
 * The topic tree of one namespace: {@code proteus/v1/<namespace>/agents/<agent>/to-core}, {@code
 * …/agents/<agent>/to-agent} and {@code …/core/status}.
 */
public final class Topics {
  private final String base;

  /** The tree of {@code namespace}. */
  public Topics(String namespace) {
    if (!MqttSettings.isValidName(namespace)) {
      throw new IllegalArgumentException("not a valid namespace: " + namespace);
    }
    this.base = "proteus/v" + Wire.VERSION + "/" + namespace;
  }

  /** Where the agent {@code agent} publishes to the core. */
  public String toCore(String agent) {
    return base + "/agents/" + checked(agent) + "/to-core";
  }

  /** Where the core publishes to the agent {@code agent}. */
  public String toAgent(String agent) {
    return base + "/agents/" + checked(agent) + "/to-agent";
  }

  /** What the core subscribes to: every agent's {@code to-core} topic. */
  public String everyAgentToCore() {
    return base + "/agents/+/to-core";
  }

  /** The core's retained status. */
  public String coreStatus() {
    return base + "/core/status";
  }

  /** The agent id of a {@code to-core} topic, if {@code topic} is one with a valid id. */
  public Optional<String> agentOfToCore(String topic) {
    String prefix = base + "/agents/";
    String suffix = "/to-core";
    if (!topic.startsWith(prefix) || !topic.endsWith(suffix)) {
      return Optional.empty();
    }
    if (topic.length() < prefix.length() + suffix.length()) {
      return Optional.empty();
    }
    String id = topic.substring(prefix.length(), topic.length() - suffix.length());
    return MqttSettings.isValidName(id) ? Optional.of(id) : Optional.empty();
  }

  private static String checked(String agent) {
    if (!MqttSettings.isValidName(agent)) {
      throw new IllegalArgumentException(
          "an agent id on MQTT is 1 to 64 letters, digits, '.', '_' or '-': " + agent);
    }
    return agent;
  }
}
