package io.proteus.mqtt;

import io.proteus.testkit.junit5.Mosquitto;
import io.proteus.testkit.junit5.contract.TransportContract;
import io.proteus.testkit.junit5.contract.TransportFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT transport keeps the transport contract on a real mosquitto broker. */
class MosquittoTransportContractTest extends TransportContract {
  @TempDir Path brokerDir;

  @Override
  protected TransportFixture newFixture() throws Exception {
    Mosquitto broker = Mosquitto.start(brokerDir);
    return new MqttFixture(broker.port(), broker);
  }
}
