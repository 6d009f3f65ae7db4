package io.proteus.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * How an {@link InMemoryTransport} carries each message: at once, later, twice, or not at all.
 * Decided per message, on the thread that sends it. The transport keeps each agent's order both
 * ways, so a delay holds back the messages sent after it; the extra copy of a duplicate, delayed,
 * arrives after later messages, as a redelivery does.
 */
@FunctionalInterface
public interface WireFault {

  /** Which way a message goes. */
  enum Direction {
    /** From an agent to the core. */
    TO_CORE,
    /** From the core to an agent. */
    TO_AGENT
  }

  /**
   * How to carry {@code message} (an {@code AgentMessage} or a {@code CoreMessage}) between the
   * core and {@code agentId}.
   */
  Carry carry(Direction direction, String agentId, Object message);

  /**
   * The copies of a message to deliver, each after its delay: none drops it, two duplicate it.
   *
   * @param delays one delay per copy
   */
  record Carry(List<Duration> delays) {
    /** Copies the delays. */
    public Carry {
      delays = List.copyOf(delays);
      delays.forEach(d -> Objects.requireNonNull(d, "delay"));
    }

    /** Delivered once, at once. */
    public static Carry deliver() {
      return new Carry(List.of(Duration.ZERO));
    }

    /** Dropped. */
    public static Carry drop() {
      return new Carry(List.of());
    }

    /** Delivered twice, at once. */
    public static Carry duplicate() {
      return new Carry(List.of(Duration.ZERO, Duration.ZERO));
    }

    /** Delivered once, after {@code delay}. */
    public static Carry delay(Duration delay) {
      return new Carry(List.of(delay));
    }
  }

  /** Carries every message once, at once, in order. */
  WireFault NONE = (direction, agentId, message) -> Carry.deliver();

  /**
   * Drops, duplicates and delays messages at random with these odds, from {@code seed}, so that a
   * failing run can be replayed. Delays are up to {@code maxDelay}, so messages also overtake one
   * another. Thread-safe.
   */
  static WireFault seeded(
      long seed, double drop, double duplicate, double delay, Duration maxDelay) {
    Random random = new Random(seed);
    return (direction, agentId, message) -> {
      synchronized (random) {
        double r = random.nextDouble();
        if (r < drop) {
          return Carry.drop();
        }
        if (r < drop + duplicate) {
          return new Carry(List.of(Duration.ZERO, randomDelay(random, maxDelay)));
        }
        if (r < drop + duplicate + delay) {
          return Carry.delay(randomDelay(random, maxDelay));
        }
        return Carry.deliver();
      }
    };
  }

  private static Duration randomDelay(Random random, Duration maxDelay) {
    return Duration.ofMillis((long) (random.nextDouble() * maxDelay.toMillis()));
  }
}
