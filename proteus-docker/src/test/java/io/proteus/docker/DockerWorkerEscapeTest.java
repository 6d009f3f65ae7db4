package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.core.ProteusCore;
import io.proteus.core.worker.LocalWorker;
import io.proteus.model.Build;
import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import io.proteus.model.TestCaseResult;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.Engine;
import io.proteus.spi.EngineContext;
import io.proteus.spi.Platform;
import io.proteus.spi.Reservation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task in a container that plants links in its workspace pointing at host files gets nothing from
 * the host: the worker reads results without following links.
 */
class DockerWorkerEscapeTest {
  @TempDir Path tmp;

  @BeforeAll
  static void docker() {
    DockerTestSupport.requireDocker();
  }

  @Test
  void linksPlantedInTheWorkspaceAreNotFollowedByTheHost() throws Exception {
    Path build = Files.createDirectories(tmp.resolve("build"));
    Path secret =
        Files.writeString(
            tmp.resolve("host-secret.jsonl"),
            "{\"name\":\"host-secret-leaked\",\"status\":\"passed\"}\n");
    Files.writeString(
        build.resolve("escape.sh"),
        "ln -s "
            + secret
            + " \"$PROTEUS_RESULTS/leak.jsonl\"\n"
            + "ln -s / \"$PROTEUS_RESULTS/root\"\n"
            + "echo '{\"name\":\"honest\",\"status\":\"passed\"}' > \"$PROTEUS_RESULTS/own.jsonl\"\n");
    DockerEngine engine = DockerEngine.connect(DockerTestSupport.policy());
    Platform platform =
        new Platform() {
          @Override
          public String name() {
            return "docker";
          }

          @Override
          public Engine newEngine(EngineContext context) {
            return engine;
          }
        };
    TestPlan plan =
        new TestPlan(
            "p",
            "1",
            List.of("docker"),
            "default",
            Optional.empty(),
            List.of(TestSpec.of("escape", "escape.sh", Optional.of("escape.sh"), List.of())));
    try (ProteusCore core =
        ProteusCore.builder()
            .worker(LocalWorker.builder("d1", platform).workRoot(tmp.resolve("work")).build())
            .build()
            .start()) {
      var ids =
          core.submit(new Build("b", List.of(plan), BuildFiles.ofFolder(build), Reservation.NONE));
      JobResult job = core.completion(ids.getFirst()).get(120, TimeUnit.SECONDS);
      TaskResult t = job.tasks().getFirst();
      assertThat(t.cases())
          .extracting(TestCaseResult::name)
          .contains("honest", "unreadable result (leak.jsonl)")
          .doesNotContain("host-secret-leaked");
    }
  }
}
