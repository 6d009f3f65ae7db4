package io.proteus.examples.cli;

import io.proteus.mqtt.MqttAgentLink;
import io.proteus.mqtt.MqttCoreTransport;
import io.proteus.mqtt.MqttSettings;
import io.proteus.spi.transport.AgentLink;
import io.proteus.spi.transport.CoreTransport;
import io.proteus.testkit.TcpProxy;
import io.proteus.testkit.junit5.contract.TransportContract;
import io.proteus.testkit.junit5.contract.TransportFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT transport keeps the transport contract on the embedded broker that {@code proteus
 * broker} and {@code demo --distributed} run (HiveMQ CE), as it does on mosquitto: the core and
 * each agent reach it through a {@link TcpProxy} of their own, for cuts, crashes and outages.
 */
class EmbeddedBrokerTransportContractTest extends TransportContract {
  @TempDir Path brokerDir;

  @Override
  protected TransportFixture newFixture() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    return new Fixture(EmbeddedBroker.start("127.0.0.1", port, brokerDir), port);
  }

  private static final class Fixture implements TransportFixture {
    private final EmbeddedBroker broker;
    private final int port;
    private final TcpProxy coreProxy;
    private final MqttCoreTransport core;
    private final Map<String, TcpProxy> proxies = new ConcurrentHashMap<>();
    private final Map<String, MqttAgentLink> links = new ConcurrentHashMap<>();

    Fixture(EmbeddedBroker broker, int port) throws IOException {
      this.broker = broker;
      this.port = port;
      this.coreProxy = new TcpProxy(port);
      this.core = MqttCoreTransport.create(settings(coreProxy.port()));
    }

    private static MqttSettings settings(int port) {
      return MqttSettings.builder("127.0.0.1", port)
          .namespace("contract")
          .willDelay(Duration.ofSeconds(3))
          .keepAlive(Duration.ofSeconds(5))
          .reconnectMaxDelay(Duration.ofMillis(500))
          .connectTimeout(Duration.ofSeconds(5))
          .build();
    }

    @Override
    public CoreTransport coreTransport() {
      return core;
    }

    @Override
    public AgentLink agentLink(String agentId) {
      try {
        TcpProxy proxy = new TcpProxy(port);
        proxies.put(agentId, proxy);
        MqttAgentLink link = MqttAgentLink.create(settings(proxy.port()), agentId);
        links.put(agentId, link);
        return link;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void cut(String agentId) {
      proxies.get(agentId).cut();
    }

    @Override
    public void crash(String agentId) {
      proxies.get(agentId).cut();
    }

    @Override
    public void restore(String agentId) {
      proxies.get(agentId).restore();
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
    public void close() throws IOException {
      links.values().forEach(MqttAgentLink::close);
      for (TcpProxy p : proxies.values()) {
        p.close();
      }
      coreProxy.close();
      broker.close();
    }
  }
}
