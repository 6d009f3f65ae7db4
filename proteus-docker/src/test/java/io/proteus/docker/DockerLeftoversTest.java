package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.proteus.docker.internal.Labels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** After kill -9 of the process running an engine, a new engine removes the containers it left. */
class DockerLeftoversTest {
  @BeforeAll
  static void docker() {
    DockerTestSupport.requireDocker();
  }

  static List<Container> containersOf(DockerClient client, long pid) {
    return client
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(Labels.MANAGED, "true", Labels.PID, Long.toString(pid)))
        .exec();
  }

  @Test
  void aNewEngineRemovesWhatAKilledOneLeftBehind() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), LeftoverHolder.class.getName())
            .redirectErrorStream(true)
            .start();
    try (var client = DockerEngine.client(Optional.empty())) {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = lines.readLine()) != null && !line.equals("started")) {
        // the holder's log lines
      }
      assertThat(line).as("the holder started its container").isEqualTo("started");
      assertThat(containersOf(client, holder.pid())).hasSize(1);

      holder.destroyForcibly();
      holder.waitFor();
      assertThat(containersOf(client, holder.pid()))
          .as("nothing cleaned up after kill -9")
          .hasSize(1);

      DockerEngine fresh = DockerEngine.connect(DockerTestSupport.policy());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> containersOf(client, holder.pid()).isEmpty());
      fresh.close();
    } finally {
      holder.destroyForcibly();
    }
  }
}
