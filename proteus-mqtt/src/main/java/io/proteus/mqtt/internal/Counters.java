package io.proteus.mqtt.internal;

import io.proteus.mqtt.MqttStats;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * A party's message counts, and the drops by kind: the first drop of each kind is logged as a
 * warning with its detail, the later ones at debug, so that a flood of bad messages cannot flood
 * the log.
 */
public final class Counters {
  private final Logger log;
  private final String who;
  private final LongAdder received = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final LongAdder connections = new LongAdder();
  private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();

  /** Counts of the party {@code who}, logged to {@code log}. */
  public Counters(Logger log, String who) {
    this.log = log;
    this.who = who;
  }

  /** A message was taken. */
  public void received() {
    received.increment();
  }

  /** A message was handed to the broker. */
  public void sent() {
    sent.increment();
  }

  /** The party connected. */
  public void connected() {
    connections.increment();
  }

  /** A received message was dropped because of {@code e}, on {@code topic}. */
  public void dropped(WireException e, String topic) {
    dropped(e.kind().name().toLowerCase(Locale.ROOT), topic, e.getMessage());
  }

  /** A message was dropped, of {@code kind}, on {@code topic}, because of {@code detail}. */
  public void dropped(String kind, String topic, String detail) {
    LongAdder count = dropped.computeIfAbsent(kind, k -> new LongAdder());
    count.increment();
    if (count.sum() == 1) {
      log.warn(
          "{} dropped a message on {} ({}): {}; later drops of this kind are logged at debug",
          who,
          Wire.quote(topic),
          kind,
          detail);
    } else {
      log.debug("{} dropped a message on {} ({}): {}", who, Wire.quote(topic), kind, detail);
    }
  }

  /** The counts so far. */
  public MqttStats stats() {
    Map<String, Long> drops = new TreeMap<>();
    dropped.forEach((k, v) -> drops.put(k, v.sum()));
    return new MqttStats(received.sum(), sent.sum(), drops, connections.sum());
  }
}
