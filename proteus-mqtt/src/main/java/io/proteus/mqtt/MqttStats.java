package io.proteus.mqtt;

import java.util.Map;

/**
 * What a core's transport or an agent's link has carried so far.
 *
 * @param received messages received and taken
 * @param sent messages handed to the broker
 * @param dropped messages dropped, by kind: {@code malformed}, {@code version}, {@code oversized},
 *     {@code unknown_type}, {@code topic}, {@code spoofed} (received), {@code backlog} and {@code
 *     disconnected} (not sent)
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
