package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.CacheMount;
import io.proteus.model.ContainerRequest;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.testkit.RecordingOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache folders mounted into task containers: exclusive ones never by two running tasks. */
class DockerCacheMountTest {
  @TempDir Path tmp;

  @BeforeAll
  static void docker() {
    DockerTestSupport.requireDocker();
  }

  @Test
  void aCacheNamedDotDotIsRefusedBeforeAnythingStartsAndNothingBesideTheRootIsTouched()
      throws Exception {
    Path sentinel = Files.writeString(tmp.resolve("sentinel.txt"), "keep me");
    DockerCaches caches = new DockerCaches(tmp.resolve("caches"), 1);
    DockerEngine engine =
        DockerEngine.connect(DockerTestSupport.policy(), Optional.empty(), Optional.of(caches));
    Path ws = Files.createDirectories(tmp.resolve("ws"));
    for (String name : List.of("..", ".")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CacheMount(name, "/cache", true))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + name + "'");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> caches.folderOf(name))
          .isInstanceOf(io.proteus.EngineException.class)
          .hasMessageContaining("cache name '" + name + "' is refused");
    }
    caches.collect();
    assertThat(sentinel).hasContent("keep me");
    assertThat(ws).isDirectory();
    engine.close();
  }

  @Test
  void anExclusiveCacheIsNeverMountedByTwoRunningTasksAndASharedOneIsReadOnly() throws Exception {
    DockerCaches caches = new DockerCaches(tmp.resolve("caches"), 1 << 30);
    DockerEngine engine =
        DockerEngine.connect(DockerTestSupport.policy(), Optional.empty(), Optional.of(caches));
    RecordingOutput sink = new RecordingOutput();
    ContainerRequest writer =
        ContainerRequest.image(DockerTestSupport.IMAGE)
            .withCache(new CacheMount("deps", "/cache", true));
    String script =
        "if [ -e /cache/busy ]; then echo OVERLAP; fi; touch /cache/busy; echo $PROTEUS_TASK_ID >> /cache/log; sleep 1; rm /cache/busy";
    Path w0 = Files.createDirectories(tmp.resolve("single"));
    ExitStatus single =
        engine
            .start(
                new ExecSpec(
                    List.of("sh", "-c", "echo hi > /cache/first; echo ok"),
                    w0,
                    Map.of(),
                    Optional.empty(),
                    Duration.ofSeconds(60),
                    sink,
                    Optional.of(writer)))
            .exit()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    List<CompletableFuture<ExitStatus>> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path ws = Files.createDirectories(tmp.resolve("ws" + i));
      int n = i;
      runs.add(
          CompletableFuture.supplyAsync(
              () ->
                  engine
                      .start(
                          new ExecSpec(
                              List.of("sh", "-c", script),
                              ws,
                              Map.of("PROTEUS_TASK_ID", "t" + n),
                              Optional.empty(),
                              Duration.ofSeconds(60),
                              sink,
                              Optional.of(writer)))
                      .exit()
                      .toCompletableFuture()
                      .join(),
              r -> Thread.ofVirtual().start(r)));
    }
    for (var r : runs) {
      assertThat(r.get(120, TimeUnit.SECONDS).code()).isZero();
    }
    assertThat(sink.merged()).doesNotContain("OVERLAP");
    assertThat(Files.readAllLines(tmp.resolve("caches/deps/log")))
        .containsExactlyInAnyOrder("t0", "t1", "t2");

    ContainerRequest reader =
        ContainerRequest.image(DockerTestSupport.IMAGE)
            .withCache(new CacheMount("deps", "/cache", false));
    Path ws = Files.createDirectories(tmp.resolve("reader"));
    ExitStatus s =
        engine
            .start(
                new ExecSpec(
                    List.of(
                        "sh",
                        "-c",
                        "cat /cache/log | wc -l; touch /cache/x 2>/dev/null && echo WROTE; true"),
                    ws,
                    Map.of(),
                    Optional.empty(),
                    Duration.ofSeconds(60),
                    sink,
                    Optional.of(reader)))
            .exit()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    assertThat(s.code()).isZero();
    assertThat(sink.merged()).contains("3").doesNotContain("WROTE");
    engine.close();
  }
}
