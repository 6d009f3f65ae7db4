package io.proteus.docker;

import io.proteus.spi.Engine;
import io.proteus.testkit.junit5.contract.EngineContract;
import org.junit.jupiter.api.BeforeAll;

/** The Docker engine honours the engine contract, against a real daemon. */
class DockerEngineContractTest extends EngineContract {
  @BeforeAll
  static void docker() {
    DockerTestSupport.requireDocker();
  }

  @Override
  protected Engine newEngine() {
    return DockerEngine.connect(DockerTestSupport.policy());
  }
}
