package io.proteus.mqtt;

import java.util.Map;

/**
 * What a core's transport or an agent's link has carried so far.
 *
 * @param received messages received and taken
 * @param sent messages handed to the broker
 * @param dropped messages dropped, by kind: received ones that are {@code malformed}, of another
 *     {@code version}, {@code oversized}, of an {@code unknown_type}, on a {@code topic} outside
 *     the tree or with an invalid agent id, {@code spoofed} (a hello naming another agent than its
 *     topic), or from more {@code agents} than the core keeps (65,536); and outgoing ones that are
 *     {@code oversized}, over the {@code backlog} of pending messages, or failed as {@code
 *     disconnected}
 * @param connections how many times the party connected to the broker
 */
public record MqttStats(long received, long sent, Map<String, Long> dropped, long connections) {
  /** Copies the counts. */
  public MqttStats {
    dropped = Map.copyOf(dropped);
  }

  /** The messages dropped of {@code kind}, zero if none. */
  public long dropped(String kind) {
    return dropped.getOrDefault(kind, 0L);
  }
}
