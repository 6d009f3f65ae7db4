package io.proteus.core.artifacts;

import static io.proteus.core.artifacts.TestServers.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.JobStatus;
import io.proteus.model.TestPlan;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.ProteusEvent;
import io.proteus.spi.transport.FilesPublisher;
import io.proteus.spi.transport.FilesRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Build files cross from a core's artifact server to an agent's cache, only those attempts need.
 */
class ArtifactPublisherTest {
  @TempDir Path tmp;
  ArtifactServer server;
  ArtifactFetcher fetcher;
  ArtifactPublisher publisher;
  ArtifactResolver resolver;
  BuildFiles build;
  final JobId job = new JobId("job-1");

  @BeforeEach
  void start() throws IOException {
    Path root = tmp.resolve("build");
    write(root, "bin/app", "the app");
    write(root, "scenarios/login.sh", "echo login");
    write(root, "secret.txt", "not for agents");
    build = BuildFiles.ofFolder(root);
    server = ArtifactServer.builder().build();
    server.start();
    publisher = ArtifactPublisher.on(server);
    fetcher =
        ArtifactFetcher.builder(tmp.resolve("cache"))
            .retries(2, Duration.ofMillis(5), Duration.ofMillis(20))
            .build();
    resolver = ArtifactResolver.using(fetcher);
  }

  @AfterEach
  void stop() {
    fetcher.close();
    server.close();
  }

  @Test
  void anAttemptGetsTheFilesItNeedsWithTheirDigestsAndNothingElse() throws IOException {
    FilesRef ref = publisher.publish(new FilesPublisher.Request(job, build, Set.of("bin/app")));
    assertThat(ref.credential()).isPresent();
    assertThat(ref.toString()).doesNotContain(ref.credential().get());
    BuildFiles files = resolver.resolve(ref);
    assertThat(read(files, "bin/app")).isEqualTo("the app");
    assertThatThrownBy(() -> files.open("secret.txt")).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> files.open("scenarios/login.sh"))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void aLaterAttemptAddsItsFilesUnderTheSameToken() throws IOException {
    FilesRef first = publisher.publish(new FilesPublisher.Request(job, build, Set.of("bin/app")));
    read(resolver.resolve(first), "bin/app");
    FilesRef second =
        publisher.publish(
            new FilesPublisher.Request(job, build, Set.of("bin/app", "scenarios/login.sh")));
    assertThat(second.credential()).isEqualTo(first.credential());
    BuildFiles files = resolver.resolve(second);
    assertThat(read(files, "scenarios/login.sh")).isEqualTo("echo login");
    assertThat(read(files, "bin/app")).isEqualTo("the app");
    assertThat(publisher.jobs()).isEqualTo(1);
  }

  @Test
  void aFinishedJobsFilesAreNoLongerServed() {
    FilesRef ref = publisher.publish(new FilesPublisher.Request(job, build, Set.of("bin/app")));
    publisher.onEvent(new ProteusEvent.JobFinished(Instant.now(), finished(job)));
    assertThat(publisher.jobs()).isZero();
    assertThatThrownBy(() -> resolver.resolve(ref).open("bin/app"))
        .isInstanceOf(IOException.class)
        .hasMessageNotContaining(ref.credential().get());
  }

  @Test
  void aJobIdTheServerCannotServeIsUnpublishedAndOpensNothing() {
    FilesRef ref =
        publisher.publish(
            new FilesPublisher.Request(new JobId(".hidden"), build, Set.of("bin/app")));
    assertThat(ref.isUnpublished()).isTrue();
    assertThatThrownBy(() -> resolver.resolve(ref).open("bin/app"))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("published no files");
  }

  @Test
  void aPathThatLeavesTheBuildIsNotPublished() {
    FilesRef ref = publisher.publish(new FilesPublisher.Request(job, build, Set.of("../outside")));
    assertThat(ref.isUnpublished()).isTrue();
  }

  private static String read(BuildFiles files, String path) throws IOException {
    try (InputStream in = files.open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static JobResult finished(JobId id) {
    return new JobResult(
        id,
        "test",
        "b1",
        new TestPlan("p", "b1", List.of("linux"), "default", Optional.empty(), List.of()),
        "linux",
        JobStatus.COMPLETED,
        List.of(),
        Instant.now(),
        Optional.of(Instant.now()));
  }
}
