package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.core.ProteusCore;
import io.proteus.core.worker.LocalWorker;
import io.proteus.model.AttemptEnd;
import io.proteus.model.Build;
import io.proteus.model.ContainerRequest;
import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.model.WorkerState;
import io.proteus.model.WorkerStatus;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task the Docker policy refuses is one attempt: through real workers and a real core, against a
 * real daemon, it ends in ERROR with the refusal and blames neither worker.
 */
class DockerPolicyRefusalTest {
  static DockerEngine engine;
  @TempDir Path tmp;

  @BeforeAll
  static void docker() {
    DockerTestSupport.requireDocker();
    engine = DockerEngine.connect(DockerTestSupport.policy());
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static Platform platform() {
    return new Platform() {
      @Override
      public String name() {
        return "docker";
      }

      @Override
      public Engine newEngine(EngineContext context) {
        return engine;
      }
    };
  }

  static TestSpec test(String name, ContainerRequest container) {
    return TestSpec.builder(name, "run.sh").container(container).build();
  }

  @Test
  void aRefusedImageNetworkOrPrivilegeIsOneAttemptAndErrorWithTheRefusal() throws Exception {
    Path build = Files.createDirectories(tmp.resolve("build"));
    Files.writeString(build.resolve("run.sh"), "#!/bin/sh\nexit 0\n");
    TestPlan plan =
        new TestPlan(
            "p",
            "1",
            List.of("docker"),
            "default",
            Optional.empty(),
            List.of(
                test("image", ContainerRequest.image("evil/tools:1")),
                test("network", ContainerRequest.defaults().withNetwork(true)),
                test("privileged", ContainerRequest.defaults().asPrivileged()),
                test("allowed", ContainerRequest.defaults())));
    try (ProteusCore core =
        ProteusCore.builder()
            .worker(LocalWorker.builder("d1", platform()).workRoot(tmp.resolve("d1")).build())
            .worker(LocalWorker.builder("d2", platform()).workRoot(tmp.resolve("d2")).build())
            .build()
            .start()) {
      var ids =
          core.submit(new Build("b", List.of(plan), BuildFiles.ofFolder(build), Reservation.NONE));
      JobResult job = core.completion(ids.getFirst()).get(180, TimeUnit.SECONDS);
      for (String[] c :
          new String[][] {
            {"image", "evil/tools:1"},
            {"network", "asks for a network"},
            {"privileged", "privileged mode is never allowed"}
          }) {
        TaskResult t =
            job.tasks().stream().filter(x -> x.testName().equals(c[0])).findFirst().orElseThrow();
        assertThat(t.status()).as(c[0]).isEqualTo(TaskStatus.ERROR);
        assertThat(t.attempts())
            .as(c[0])
            .singleElement()
            .satisfies(a -> assertThat(a.end()).contains(AttemptEnd.ENGINE_ERROR));
        assertThat(t.reason().orElseThrow())
            .as(c[0])
            .startsWith("could not run, not retried: refused by the Docker policy")
            .contains(c[1]);
      }
      TaskResult allowed = job.tasks().getLast();
      assertThat(allowed.status()).as(allowed.reason().orElse("")).isEqualTo(TaskStatus.PASSED);
      assertThat(core.workers()).extracting(WorkerStatus::state).containsOnly(WorkerState.IDLE);
    }
  }
}
