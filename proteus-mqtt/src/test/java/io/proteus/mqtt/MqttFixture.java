package io.proteus.mqtt;

import io.proteus.spi.transport.AgentLink;
import io.proteus.spi.transport.CoreTransport;
import io.proteus.testkit.TcpProxy;
import io.proteus.testkit.junit5.contract.TransportFixture;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MQTT transport under the transport contract: the core and each agent reach a real broker
 * through a {@link TcpProxy} of their own. A cut closes the agent's connection and the link
 * reconnects within the will delay (the core is not told); a crash closes it and keeps it closed,
 * so the broker publishes the will; a core outage cuts the core's connection.
 */
final class MqttFixture implements TransportFixture {
  private final int brokerPort;
  private final TcpProxy coreProxy;
  private final MqttCoreTransport core;
  private final Map<String, TcpProxy> agentProxies = new ConcurrentHashMap<>();
  private final Map<String, MqttAgentLink> links = new ConcurrentHashMap<>();

  private final AutoCloseable broker;

  /** A fixture on the broker at {@code brokerPort}; closing it closes {@code broker} last. */
  MqttFixture(int brokerPort, AutoCloseable broker) throws IOException {
    this.brokerPort = brokerPort;
    this.broker = broker;
    this.coreProxy = new TcpProxy(brokerPort);
    this.core = MqttCoreTransport.create(settings(coreProxy.port()));
  }

  static MqttSettings settings(int port) {
    return MqttSettings.builder("127.0.0.1", port)
        .namespace("contract")
        .willDelay(Duration.ofSeconds(3))
        .keepAlive(Duration.ofSeconds(5))
        .reconnectMaxDelay(Duration.ofMillis(500))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  MqttCoreTransport core() {
    return core;
  }

  MqttAgentLink link(String agentId) {
    return links.get(agentId);
  }

  @Override
  public CoreTransport coreTransport() {
    return core;
  }

  @Override
  public AgentLink agentLink(String agentId) {
    try {
      TcpProxy proxy = new TcpProxy(brokerPort);
      agentProxies.put(agentId, proxy);
      MqttAgentLink link = MqttAgentLink.create(settings(proxy.port()), agentId);
      links.put(agentId, link);
      return link;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void cut(String agentId) {
    agentProxies.get(agentId).cut();
  }

  @Override
  public void crash(String agentId) {
    agentProxies.get(agentId).cut();
  }

  @Override
  public void restore(String agentId) {
    agentProxies.get(agentId).restore();
  }

  @Override
  public void coreOutage() {
    coreProxy.cut();
  }

  @Override
  public void coreRestored() {
    coreProxy.restore();
  }

  @Override
  public void close() throws Exception {
    links.values().forEach(MqttAgentLink::close);
    for (TcpProxy p : agentProxies.values()) {
      p.close();
    }
    coreProxy.close();
    broker.close();
  }
}
