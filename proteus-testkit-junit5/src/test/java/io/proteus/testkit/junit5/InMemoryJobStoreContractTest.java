package io.proteus.testkit.junit5;

import io.proteus.core.store.InMemoryJobStore;
import io.proteus.spi.JobStore;
import io.proteus.testkit.junit5.contract.JobStoreContract;

class InMemoryJobStoreContractTest extends JobStoreContract {
  @Override
  protected JobStore newStore() {
    return new InMemoryJobStore();
  }
}
