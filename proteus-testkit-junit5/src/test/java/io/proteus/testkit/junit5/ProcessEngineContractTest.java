package io.proteus.testkit.junit5;

import io.proteus.core.process.ProcessEngine;
import io.proteus.spi.Engine;
import io.proteus.testkit.junit5.contract.EngineContract;

class ProcessEngineContractTest extends EngineContract {
  @Override
  protected Engine newEngine() {
    return new ProcessEngine();
  }
}
