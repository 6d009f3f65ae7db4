package io.proteus.mqtt;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a core or an agent reaches its MQTT broker, and the protocol's timings and limits. Every
 * party of one fleet uses the same {@link #namespace()}; the other settings may differ per party.
 *
 * @param host the broker's host name or address
 * @param port the broker's port
 * @param namespace the fleet's name: the topic tree is {@code proteus/v1/<namespace>/…}
 * @param username the user name given to the broker, if any
 * @param password the password given to the broker, if any; never logged or shown
 * @param trust the certificates trusted for TLS; empty for plain TCP
 * @param keepAlive how often the client and broker check the connection when it is idle; a silent
 *     peer is taken for gone after one and a half times this
 * @param sessionExpiry how long the broker keeps a party's subscriptions and queued messages while
 *     it is away
 * @param willDelay how long the broker waits before it publishes a lost agent's last will, so that
 *     a brief disconnection does not count as a loss
 * @param connectTimeout how long the first connection may take before connecting fails
 * @param reconnectMaxDelay the longest wait between reconnection attempts (they back off from 100
 *     ms)
 * @param maxMessageBytes the largest message accepted or sent; larger ones are dropped and counted
 * @param maxPendingPublishes the most messages waiting for the broker at once; more are dropped and
 *     counted (the agreements send again what matters)
 */
public record MqttSettings(
    String host,
    int port,
    String namespace,
    Optional<String> username,
    Optional<String> password,
    Optional<TrustManagerFactory> trust,
    Duration keepAlive,
    Duration sessionExpiry,
    Duration willDelay,
    Duration connectTimeout,
    Duration reconnectMaxDelay,
    int maxMessageBytes,
    int maxPendingPublishes) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Checks every setting, naming the one that is wrong. */
  public MqttSettings {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535: " + port);
    }
    if (!isValidName(namespace)) {
      throw new IllegalArgumentException(
          "namespace must be 1 to 64 letters, digits, '.', '_' or '-': " + namespace);
    }
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(trust, "trust");
    if (password.isPresent() && username.isEmpty()) {
      throw new IllegalArgumentException("a password needs a username");
    }
    whole("keepAlive", keepAlive, 1, 65535);
    whole("sessionExpiry", sessionExpiry, 0, 4_294_967_295L);
    whole("willDelay", willDelay, 0, 4_294_967_295L);
    positive("connectTimeout", connectTimeout);
    positive("reconnectMaxDelay", reconnectMaxDelay);
    if (maxMessageBytes < 1024 || maxMessageBytes > 256 << 20) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be 1 KiB to 256 MiB: " + maxMessageBytes);
    }
    if (maxPendingPublishes < 1) {
      throw new IllegalArgumentException(
          "maxPendingPublishes must be positive: " + maxPendingPublishes);
    }
  }

  /** Settings for a broker at {@code host}:{@code port} with every other setting's default. */
  public static Builder builder(String host, int port) {
    return new Builder(host, port);
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder(host, port);
    b.namespace = namespace;
    b.username = username;
    b.password = password;
    b.trust = trust;
    b.keepAlive = keepAlive;
    b.sessionExpiry = sessionExpiry;
    b.willDelay = willDelay;
    b.connectTimeout = connectTimeout;
    b.reconnectMaxDelay = reconnectMaxDelay;
    b.maxMessageBytes = maxMessageBytes;
    b.maxPendingPublishes = maxPendingPublishes;
    return b;
  }

  /** Whether {@code name} may be a namespace or an agent id: 1 to 64 of {@code [A-Za-z0-9._-]}. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** The settings without the password. */
  @Override
  public String toString() {
    return "MqttSettings["
        + (trust.isPresent() ? "mqtts://" : "mqtt://")
        + username.map(u -> u + (password.isPresent() ? ":***" : "") + "@").orElse("")
        + host
        + ":"
        + port
        + ", namespace="
        + namespace
        + "]";
  }

  private static void whole(String name, Duration d, long minSeconds, long maxSeconds) {
    Objects.requireNonNull(d, name);
    if (d.toMillis() % 1000 != 0 || d.getSeconds() < minSeconds || d.getSeconds() > maxSeconds) {
      throw new IllegalArgumentException(
          name + " must be whole seconds from " + minSeconds + " to " + maxSeconds + ": " + d);
    }
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /** Builds {@link MqttSettings}; every setting but the broker's address has a default. */
  public static final class Builder {
    private final String host;
    private final int port;
    private String namespace = "default";
    private Optional<String> username = Optional.empty();
    private Optional<String> password = Optional.empty();
    private Optional<TrustManagerFactory> trust = Optional.empty();
    private Duration keepAlive = Duration.ofSeconds(10);
    private Duration sessionExpiry = Duration.ofHours(1);
    private Duration willDelay = Duration.ofSeconds(2);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration reconnectMaxDelay = Duration.ofSeconds(10);
    private int maxMessageBytes = 1 << 20;
    private int maxPendingPublishes = 10_000;

    private Builder(String host, int port) {
      this.host = host;
      this.port = port;
    }

    /** The fleet's name; {@code default} unless set. */
    public Builder namespace(String value) {
      namespace = value;
      return this;
    }

    /** The broker's user name and password. */
    public Builder credentials(String user, String secret) {
      username = Optional.of(user);
      password = Optional.of(secret);
      return this;
    }

    /** The broker's user name, with no password. */
    public Builder username(String user) {
      username = Optional.of(user);
      return this;
    }

    /** TLS, trusting the certificates of {@code factory}. */
    public Builder tls(TrustManagerFactory factory) {
      trust = Optional.of(factory);
      return this;
    }

    /** The keep-alive interval; 10 seconds unless set. */
    public Builder keepAlive(Duration value) {
      keepAlive = value;
      return this;
    }

    /** How long the broker keeps a party's session while it is away; 1 hour unless set. */
    public Builder sessionExpiry(Duration value) {
      sessionExpiry = value;
      return this;
    }

    /** How long the broker waits before a lost agent's last will; 2 seconds unless set. */
    public Builder willDelay(Duration value) {
      willDelay = value;
      return this;
    }

    /** How long the first connection may take; 10 seconds unless set. */
    public Builder connectTimeout(Duration value) {
      connectTimeout = value;
      return this;
    }

    /** The longest wait between reconnection attempts; 10 seconds unless set. */
    public Builder reconnectMaxDelay(Duration value) {
      reconnectMaxDelay = value;
      return this;
    }

    /** The largest message accepted or sent; 1 MiB unless set. */
    public Builder maxMessageBytes(int value) {
      maxMessageBytes = value;
      return this;
    }

    /** The most messages waiting for the broker at once; 10,000 unless set. */
    public Builder maxPendingPublishes(int value) {
      maxPendingPublishes = value;
      return this;
    }

    /** The settings, checked. */
    public MqttSettings build() {
      return new MqttSettings(
          host,
          port,
          namespace,
          username,
          password,
          trust,
          keepAlive,
          sessionExpiry,
          willDelay,
          connectTimeout,
          reconnectMaxDelay,
          maxMessageBytes,
          maxPendingPublishes);
    }
  }
}
