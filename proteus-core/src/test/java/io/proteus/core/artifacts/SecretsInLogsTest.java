package io.proteus.core.artifacts;

import static io.proteus.core.artifacts.TestServers.bearer;
import static io.proteus.core.artifacts.TestServers.sha;
import static io.proteus.core.artifacts.TestServers.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.proteus.core.artifacts.FlakyProxy.Fault;
import io.proteus.model.JobId;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No token reaches a log. Run by its own Surefire execution with every Proteus logger at TRACE and
 * the log written to a file (see proteus-core's pom): the test drives the server and the fetcher
 * through successes, refusals, retries and failures, then reads that file.
 */
class SecretsInLogsTest {
  @TempDir Path tmp;

  @Test
  void noTokenIsEverLogged() throws IOException {
    String logFile = System.getProperty("proteus.secretsLog");
    assumeTrue(logFile != null, "run by the secrets-in-logs execution only");
    List<String> secrets = new ArrayList<>();
    write(tmp.resolve("job"), "bin/app", "x".repeat(50_000));
    try (ArtifactServer server =
        ArtifactServer.builder().logRoot(tmp.resolve("logs")).maxManifest(1, 10).build()) {
      server.start();
      ArtifactServer.Registration reg = server.register(new JobId("job-1"), tmp.resolve("job"));
      ArtifactServer.Registration other = server.register(new JobId("job-2"), tmp.resolve("job"));
      secrets.add(reg.token());
      secrets.add(other.token());
      String wrong = "wrong-token-" + reg.token().substring(0, 8) + "-never-logged";
      secrets.add(wrong);
      int port = server.port();
      RawHttp.get(port, "/v1/jobs/job-1/files/bin/app", bearer(reg));
      RawHttp.get(port, "/v1/jobs/job-1/files/bin/app", "Authorization: Bearer " + wrong);
      RawHttp.get(port, "/v1/jobs/job-1/files/bin/app", bearer(other));
      RawHttp.get(port, "/v1/jobs/job-1/files/%2e%2e/x", bearer(reg));
      RawHttp.get(port, "/v1/jobs/job-1/files/%zz", bearer(reg));
      RawHttp.get(port, "/v1/jobs/job-1/manifest", bearer(reg));
      RawHttp.send(
          port,
          "PUT",
          "/v1/jobs/job-1/logs/0/1",
          "log".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          bearer(reg));
      log("the artifact server logged " + Files.size(Path.of(logFile)) + " bytes so far");

      try (FlakyProxy proxy = new FlakyProxy(port);
          ArtifactFetcher fetcher =
              ArtifactFetcher.builder(tmp.resolve("cache"))
                  .retries(3, Duration.ofMillis(5), Duration.ofMillis(10))
                  .build()) {
        URI base = URI.create("http://127.0.0.1:" + proxy.port() + "/v1/jobs/job-1/");
        proxy.cutAfter = 20_000;
        proxy.then(Fault.UNAVAILABLE, Fault.CUT);
        byte[] body = Files.readAllBytes(tmp.resolve("job/bin/app"));
        fetcher.fetch(base, reg.token(), "bin/app", sha(body), body.length);
        assertThatThrownBy(() -> fetcher.fetch(base, wrong, "bin/app", sha("y"), 1))
            .hasMessageNotContaining(wrong);
        assertThatThrownBy(() -> fetcher.fetch(base, reg.token(), "bin/app", sha("y"), body.length))
            .hasMessageNotContaining(reg.token());
        assertThatThrownBy(() -> fetcher.manifest(base, reg.token()))
            .hasMessageNotContaining(reg.token());
        proxy.then(Fault.UNAVAILABLE, Fault.UNAVAILABLE, Fault.UNAVAILABLE);
        assertThatThrownBy(() -> fetcher.fetch(base, other.token(), "bin/app", sha("z"), 1))
            .hasMessageNotContaining(other.token());
      }
    }
    String logged = Files.readString(Path.of(logFile));
    assertThat(logged)
        .as("the loggers were on")
        .contains("artifact server listening")
        .contains("no valid token")
        .contains("trying again");
    for (String secret : secrets) {
      assertThat(logged).doesNotContain(secret);
    }
  }

  private static void log(String message) {
    org.slf4j.LoggerFactory.getLogger(SecretsInLogsTest.class).info(message);
  }
}
