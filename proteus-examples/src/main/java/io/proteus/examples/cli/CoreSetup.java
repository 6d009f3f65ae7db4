package io.proteus.examples.cli;

import io.proteus.core.ProteusCore;
import io.proteus.core.ProteusCoreBuilder;
import io.proteus.core.artifacts.ArtifactPublisher;
import io.proteus.core.artifacts.ArtifactServer;
import io.proteus.core.artifacts.ArtifactServerBuilder;
import io.proteus.mqtt.MqttCoreTransport;
import io.proteus.mqtt.MqttSettings;
import io.proteus.spi.ProteusListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;

/**
 * A core for remote agents, from the configuration: the MQTT transport, an artifact server that
 * serves the build files agents need (its publisher given to the core as the files publisher and as
 * a listener), and the storage folder.
 */
final class CoreSetup implements AutoCloseable {
  private final ArtifactServer server;
  private final ProteusCoreBuilder builder;
  private final MqttSettings mqtt;

  private CoreSetup(ArtifactServer server, ProteusCoreBuilder builder, MqttSettings mqtt) {
    this.server = server;
    this.builder = builder;
    this.mqtt = mqtt;
  }

  /**
   * The core's parts, the artifact server not yet started; {@code listener} hears every event after
   * the publisher.
   */
  static CoreSetup of(LauncherConfig config, Path storage, ProteusListener listener)
      throws ConfigException, IOException {
    MqttSettings mqtt = MqttConfig.settings(config);
    ArtifactServerBuilder sb =
        ArtifactServer.builder().logRoot(Files.createDirectories(storage.resolve("logs")));
    try {
      sb.host(config.string("artifacts.host")).port(config.integer("artifacts.port"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("artifacts: " + e.getMessage());
    }
    config.optionalString("artifacts.advertisedHost").ifPresent(sb::advertisedHost);
    Optional<KeyStore> keys =
        Stores.load(config, "artifacts.tls.keyStore", "artifacts.tls.keyStorePassword");
    if (keys.isPresent()) {
      sb.tls(
          keys.get(),
          config.optionalString("artifacts.tls.keyStorePassword").orElse("").toCharArray());
    }
    ArtifactServer server = sb.build();
    ArtifactPublisher publisher = ArtifactPublisher.on(server);
    ProteusCoreBuilder builder =
        ProteusCore.builder()
            .transport(MqttCoreTransport.create(mqtt))
            .filesPublisher(publisher)
            .listener(e -> {
              publisher.onEvent(e);
              listener.onEvent(e);
            })
            .storage(Files.createDirectories(storage), config.size("core.storageBudget"))
            .pollInterval(config.duration("core.pollInterval"))
            .heartbeatTimeout(config.duration("core.heartbeatTimeout"))
            .unroutableGrace(config.duration("core.unroutableGrace"))
            .leaseGrace(config.duration("core.leaseGrace"));
    return new CoreSetup(server, builder, mqtt);
  }

  /** The core's builder, to add adapters to. */
  ProteusCoreBuilder builder() {
    return builder;
  }

  /** The broker settings, for messages (no password in them). */
  MqttSettings mqtt() {
    return mqtt;
  }

  /** Starts the artifact server; returns where agents reach it. */
  String startServer() {
    server.start();
    return server.base().toString();
  }

  /** Stops the artifact server. */
  @Override
  public void close() {
    server.close();
  }
}
