package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.proteus.docker.internal.Labels;
import io.proteus.docker.internal.Owner;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After kill -9 of the process running an engine, a new engine removes the containers it left;
 * containers of a live engine, or of one it cannot judge, stay.
 */
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

  static String create(DockerClient client, Map<String, String> labels) {
    return client
        .createContainerCmd(DockerTestSupport.IMAGE)
        .withCmd("true")
        .withLabels(labels)
        .exec()
        .getId();
  }

  static boolean exists(DockerClient client, String id) {
    try {
      client.inspectContainerCmd(id).exec();
      return true;
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      return false;
    }
  }

  @Test
  void aLiveOwnerIsNeverReapedAndADeadOneWhosePidWasReusedIs() throws Exception {
    Owner me = Owner.current();
    Map<String, String> base = new java.util.HashMap<>(Labels.owner());
    Map<String, String> reused = new java.util.HashMap<>(base);
    reused.put(Owner.STARTED, "ticks:1");
    Map<String, String> elsewhere = new java.util.HashMap<>(base);
    elsewhere.put(Owner.PID_NAMESPACE, "pid:[1]");
    elsewhere.put(Labels.PID, Long.toString(Integer.MAX_VALUE - 7));
    Map<String, String> earlierBoot = new java.util.HashMap<>(base);
    earlierBoot.put(Owner.BOOT, "00000000-0000-0000-0000-000000000000");
    try (var client = DockerEngine.client(Optional.empty())) {
      String live = create(client, base);
      String dead = create(client, reused);
      String otherNamespace = create(client, elsewhere);
      String beforeReboot = create(client, earlierBoot);
      try {
        DockerEngine fresh = DockerEngine.connect(DockerTestSupport.policy());
        fresh.close();
        assertThat(exists(client, live)).as("this process's own container").isTrue();
        assertThat(exists(client, otherNamespace))
            .as("an owner in another pid namespace cannot be judged from here")
            .isTrue();
        assertThat(exists(client, dead)).as("pid %d with another start time", me.pid()).isFalse();
        assertThat(exists(client, beforeReboot)).isFalse();
      } finally {
        for (String id : List.of(live, dead, otherNamespace, beforeReboot)) {
          try {
            client.removeContainerCmd(id).withForce(true).exec();
          } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            // reaped
          }
        }
      }
    }
  }

  @Test
  void aNewEngineRemovesWhatAKilledOneLeftBehind(@TempDir Path tmp) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path ws = tmp.resolve("ws");
    Process holder =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LeftoverHolder.class.getName(),
                ws.toString())
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
      try (var beside = Files.list(tmp)) {
        assertThat(beside.map(p -> p.getFileName().toString()))
            .as("the overlay's scratch folder went with the leftover volume")
            .containsExactly("ws");
      }
    } finally {
      holder.destroyForcibly();
    }
  }
}
