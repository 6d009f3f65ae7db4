/**
 * Remote workers over MQTT: {@link io.proteus.mqtt.MqttCoreTransport} is the core's end, {@link
 * io.proteus.mqtt.MqttAgentLink} an agent's, on any MQTT 5 broker. The wire is specified in
 * docs/PROTOCOL.md.
 */
module io.proteus.mqtt {
  requires transitive io.proteus.api;
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires com.fasterxml.jackson.databind;
  requires com.hivemq.client.mqtt;

  exports io.proteus.mqtt;
}
