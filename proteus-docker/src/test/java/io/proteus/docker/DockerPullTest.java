package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.EngineException;
import io.proteus.model.ContainerRequest;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.OutputSink;
import io.proteus.testkit.RecordingOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls with registry credentials, from a registry on loopback. */
class DockerPullTest {
  @TempDir Path ws;

  @BeforeAll
  static void docker() {
    DockerTestSupport.requireDocker();
  }

  static DockerPolicy pulling(String registry, String password) {
    return DockerPolicy.builder()
        .allowImages(registry + "/**")
        .modes(RuntimeMode.PULL)
        .credentials(new RegistryCredentials(registry, "ci", password))
        .build();
  }

  @Test
  void aMissingImageIsPulledWithTheRegistrysCredentials() throws Exception {
    try (FakeRegistry registry = new FakeRegistry("ci", "s3cret")) {
      String image = registry.host() + "/tools/bb:" + System.nanoTime();
      DockerEngine engine = DockerEngine.connect(pulling(registry.host(), "s3cret"));
      RecordingOutput sink = new RecordingOutput();
      try {
        ExitStatus s =
            engine
                .start(
                    new ExecSpec(
                        List.of("sh", "-c", "echo pulled"),
                        ws,
                        Map.of(),
                        Optional.empty(),
                        Duration.ofSeconds(60),
                        sink,
                        Optional.of(ContainerRequest.image(image))))
                .exit()
                .toCompletableFuture()
                .get(120, TimeUnit.SECONDS);
        assertThat(s.code()).isZero();
        assertThat(sink.merged()).containsExactly("pulled");
        assertThat(registry.authorizations).isNotEmpty().allMatch(a -> a.startsWith("Basic "));
      } finally {
        try (var client = DockerEngine.client(Optional.empty())) {
          client.removeImageCmd(image).withForce(true).exec();
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
          // the pull failed; the assertion above says why
        }
        engine.close();
      }
    }
  }

  @Test
  void aPullWithWrongCredentialsIsAClearError() throws Exception {
    try (FakeRegistry registry = new FakeRegistry("ci", "s3cret")) {
      DockerEngine engine = DockerEngine.connect(pulling(registry.host(), "wrong"));
      assertThatThrownBy(() ->
              engine.start(
                  new ExecSpec(
                      List.of("true"),
                      ws,
                      Map.of(),
                      Optional.empty(),
                      Duration.ofSeconds(60),
                      OutputSink.NONE,
                      Optional.of(ContainerRequest.image(registry.host() + "/tools/bb:1")))))
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("cannot pull")
          .hasMessageNotContaining("wrong");
      engine.close();
    }
  }
}
