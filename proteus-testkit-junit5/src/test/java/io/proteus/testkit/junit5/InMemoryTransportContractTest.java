package io.proteus.testkit.junit5;

import io.proteus.spi.transport.AgentLink;
import io.proteus.spi.transport.CoreTransport;
import io.proteus.testkit.InMemoryTransport;
import io.proteus.testkit.junit5.contract.TransportContract;
import io.proteus.testkit.junit5.contract.TransportFixture;

/** The in-memory transport keeps the transport contract. */
class InMemoryTransportContractTest extends TransportContract {
  @Override
  protected TransportFixture newFixture() {
    InMemoryTransport wire = InMemoryTransport.create();
    CoreTransport core = wire.core();
    return new TransportFixture() {
      @Override
      public CoreTransport coreTransport() {
        return core;
      }

      @Override
      public AgentLink agentLink(String agentId) {
        return wire.link(agentId);
      }

      @Override
      public void cut(String agentId) {
        wire.cut(agentId);
      }

      @Override
      public void crash(String agentId) {
        wire.crash(agentId);
      }

      @Override
      public void restore(String agentId) {
        wire.restore(agentId);
      }

      @Override
      public void coreOutage() {
        wire.coreOutage();
      }

      @Override
      public void coreRestored() {
        wire.coreRestored();
      }

      @Override
      public void close() {
        wire.close();
      }
    };
  }
}
