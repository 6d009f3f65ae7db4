package io.proteus.examples.cli;

import static io.proteus.examples.cli.ConfigType.BOOLEAN;
import static io.proteus.examples.cli.ConfigType.DURATION;
import static io.proteus.examples.cli.ConfigType.ENGINE;
import static io.proteus.examples.cli.ConfigType.FLAVOUR;
import static io.proteus.examples.cli.ConfigType.LIST;
import static io.proteus.examples.cli.ConfigType.NAME;
import static io.proteus.examples.cli.ConfigType.PATH;
import static io.proteus.examples.cli.ConfigType.PORT;
import static io.proteus.examples.cli.ConfigType.PORT_OR_ZERO;
import static io.proteus.examples.cli.ConfigType.SECRET;
import static io.proteus.examples.cli.ConfigType.SIZE;
import static io.proteus.examples.cli.ConfigType.STRING;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Every key {@code proteus core} and {@code proteus worker} read, with its default.
 * docs/distributed.md lists the same keys; ConfigKeysDocTest keeps the two the same.
 */
final class ConfigKeys {
  private ConfigKeys() {}

  /** The sections whose environment variables are checked: a typo there is an error. */
  static final List<String> SECTIONS = List.of("mqtt", "artifacts", "core", "worker");

  private static final Map<String, ConfigKey> KEYS = new LinkedHashMap<>();

  static {
    key("mqtt.host", STRING, "127.0.0.1", "The broker's host name or address.");
    key("mqtt.port", PORT, "1883", "The broker's port (8883 is usual with TLS).");
    key("mqtt.namespace", NAME, "default", "The fleet's name; the core and its agents share it.");
    key("mqtt.username", STRING, null, "The user name given to the broker.");
    key("mqtt.password", SECRET, null, "The password given to the broker; never printed.");
    key("mqtt.passwordFile", PATH, null, "A file whose first line is the password, instead.");
    key("mqtt.tls.trustStore", PATH, null, "A trust store (PKCS12 or JKS): connect with TLS.");
    key("mqtt.tls.trustStorePassword", SECRET, null, "The trust store's password, if any.");
    key("mqtt.keepAlive", DURATION, "10s", "Keep-alive of the connection, whole seconds.");
    key("mqtt.connectTimeout", DURATION, "10s", "How long the first connection may take.");
    key("mqtt.willDelay", DURATION, "2s", "How long the broker waits before a lost agent's will.");
    key("mqtt.sessionExpiry", DURATION, "1h", "How long the broker keeps a party's session.");
    key("mqtt.reconnectMaxDelay", DURATION, "10s", "The longest wait between reconnections.");
    key("artifacts.host", STRING, "127.0.0.1", "Core: the address the artifact server listens on.");
    key("artifacts.port", PORT_OR_ZERO, "0", "Core: the artifact server's port; 0 any free one.");
    key(
        "artifacts.advertisedHost",
        STRING,
        null,
        "Core: the host agents reach the artifact server by (default: artifacts.host).");
    key("artifacts.tls.keyStore", PATH, null, "Core: a key store (PKCS12): serve over TLS.");
    key("artifacts.tls.keyStorePassword", SECRET, null, "Core: the key store's password.");
    key("artifacts.tls.trustStore", PATH, null, "Worker: trust store for a TLS artifact server.");
    key("artifacts.tls.trustStorePassword", SECRET, null, "Worker: the trust store's password.");
    required("core.inbox", PATH, "Core: the folder builds are dropped in.");
    key("core.outbox", PATH, null, "Core: where reports go (default: outbox beside the inbox).");
    key("core.storage", PATH, null, "Core: fetched builds (default: storage beside the inbox).");
    key("core.storageBudget", SIZE, "10g", "Core: the most bytes the stored builds may take.");
    key("core.junitFlavour", FLAVOUR, "surefire", "Core: the reports' JUnit XML flavour.");
    key("core.pollInterval", DURATION, "2s", "Core: how often the inbox is read.");
    key("core.heartbeatTimeout", DURATION, "60s", "Core: how long an agent may be silent.");
    key("core.unroutableGrace", DURATION, "30s", "Core: how long a task waits for an agent.");
    key("core.leaseGrace", DURATION, "30s", "Core: wait past a test's timeout for its result.");
    required("worker.id", NAME, "Worker: the agent's id, unique in the namespace.");
    key("worker.pool", STRING, "default", "Worker: the pool it joins.");
    key("worker.platform", STRING, defaultPlatform(), "Worker: the platform it offers.");
    key("worker.tags", LIST, "", "Worker: capability tags.");
    key("worker.topic", STRING, null, "Worker: the only topic it takes work of.");
    key("worker.work", PATH, null, "Worker: its folder (default: proteus-agent-<id> in the temp).");
    key("worker.cache", PATH, null, "Worker: the artifact cache (default: <work>/cache).");
    key("worker.cacheBudget", SIZE, "10g", "Worker: the most bytes the cache keeps.");
    key(
        "worker.heartbeatInterval",
        DURATION,
        "10s",
        "Worker: how often it tells the core it lives.");
    key(
        "worker.drainDeadline",
        DURATION,
        "10m",
        "Worker: on SIGTERM, how long its task may go on before the core takes it back.");
    key("worker.engine", ENGINE, "process", "Worker: process or docker.");
    key("worker.passEnv", LIST, "", "Worker, process engine: host variables tests may see.");
    key("worker.docker.image", STRING, null, "Worker, docker engine: the default image.");
    key("worker.docker.allowImages", LIST, "", "Worker, docker engine: images tests may name.");
    key("worker.docker.memory", STRING, "256m", "Worker, docker engine: memory per container.");
    key("worker.docker.maxMemory", STRING, "1g", "Worker, docker engine: most a test may ask.");
    key("worker.docker.allowNetwork", BOOLEAN, "false", "Worker, docker engine: allow networks.");
  }

  private static void key(String name, ConfigType type, @Nullable String fallback, String help) {
    KEYS.put(name, new ConfigKey(name, type, fallback, false, help));
  }

  private static void required(String name, ConfigType type, String help) {
    KEYS.put(name, new ConfigKey(name, type, null, true, help));
  }

  /** The key named {@code name}, if there is one. */
  static Optional<ConfigKey> named(String name) {
    return Optional.ofNullable(KEYS.get(name));
  }

  /** The key whose environment variable is {@code env}, if there is one. */
  static Optional<ConfigKey> byEnv(String env) {
    return KEYS.values().stream().filter(k -> k.env().equals(env)).findFirst();
  }

  /** Every key, in the documented order. */
  static List<ConfigKey> all() {
    return List.copyOf(KEYS.values());
  }

  /** This machine's platform name: linux-x64, linux-arm64, macos-arm64, windows-x64... */
  static String defaultPlatform() {
    String os = System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT);
    String name =
        os.startsWith("linux")
            ? "linux"
            : os.startsWith("mac") ? "macos" : os.startsWith("windows") ? "windows" : os;
    String arch = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
    String a =
        switch (arch) {
          case "amd64", "x86_64" -> "x64";
          case "aarch64", "arm64" -> "arm64";
          default -> arch;
        };
    return name + "-" + a;
  }
}
