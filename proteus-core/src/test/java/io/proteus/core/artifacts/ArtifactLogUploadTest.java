package io.proteus.core.artifacts;

import static io.proteus.core.artifacts.TestServers.bearer;
import static io.proteus.core.artifacts.TestServers.sha;
import static io.proteus.core.artifacts.TestServers.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.ArtifactException;
import io.proteus.model.JobId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactLogUploadTest {
  @TempDir Path tmp;
  ArtifactServer server;
  ArtifactServer.Registration reg;
  Path logs;
  int port;

  @BeforeEach
  void start() throws IOException {
    logs = tmp.resolve("logs");
    Files.createDirectories(tmp.resolve("job"));
    server = ArtifactServer.builder().logRoot(logs).maxLogBytes(1000).build();
    server.start();
    port = server.port();
    reg = server.register(new JobId("job-1"), tmp.resolve("job"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  RawHttp.Answer put(String target, String body) throws IOException {
    return RawHttp.send(port, "PUT", target, body.getBytes(StandardCharsets.UTF_8), bearer(reg));
  }

  @Test
  void aLogIsStoredAtomicallyAndAnsweredWithItsSizeAndDigest() throws IOException {
    RawHttp.Answer a = put("/v1/jobs/job-1/logs/3/1", "line one\nline two\n");
    assertThat(a.status()).isEqualTo(201);
    assertThat(a.text())
        .isEqualTo("{\"size\":18,\"sha256\":\"" + sha("line one\nline two\n") + "\"}\n");
    Path stored = logs.resolve("job-1/3-a1.log");
    assertThat(stored).hasContent("line one\nline two");
    assertThat(server.log(new JobId("job-1"), 3, 1)).contains(stored);
    assertThat(server.log(new JobId("job-1"), 3, 2)).isEmpty();
    assertThat(server.stats().logsStored()).isEqualTo(1);
  }

  @Test
  void aRepeatedUploadReplacesTheLogAndLeavesNoTemporaryFile() throws IOException {
    assertThat(put("/v1/jobs/job-1/logs/0/2", "first try").status()).isEqualTo(201);
    assertThat(put("/v1/jobs/job-1/logs/0/2", "second").status()).isEqualTo(201);
    assertThat(logs.resolve("job-1/0-a2.log")).hasContent("second");
    try (Stream<Path> files = Files.list(logs.resolve("job-1"))) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("0-a2.log");
    }
  }

  @Test
  void aLogOverTheLimitIs413AndKeepsTheOldOne() throws IOException {
    assertThat(put("/v1/jobs/job-1/logs/0/1", "kept").status()).isEqualTo(201);
    assertThat(put("/v1/jobs/job-1/logs/0/1", "x".repeat(1001)).status()).isEqualTo(413);
    assertThat(logs.resolve("job-1/0-a1.log")).hasContent("kept");
    assertThat(put("/v1/jobs/job-1/logs/0/1", "x".repeat(1000)).status()).isEqualTo(201);
  }

  @Test
  void aStreamedLogOverTheLimitIs413AndLeavesNothing() throws IOException {
    OkHttpClient client = new OkHttpClient();
    RequestBody endless =
        new RequestBody() {
          @Override
          public MediaType contentType() {
            return MediaType.get("text/plain");
          }

          @Override
          public void writeTo(BufferedSink sink) throws IOException {
            for (int i = 0; i < 50; i++) {
              sink.writeUtf8("y".repeat(100));
              sink.flush();
            }
          }
        };
    Request req =
        new Request.Builder()
            .url(reg.baseUrl().resolve("logs/1/1").toString())
            .header("Authorization", "Bearer " + reg.token())
            .put(endless)
            .build();
    int code;
    try (Response r = client.newCall(req).execute()) {
      code = r.code();
    } catch (IOException e) {
      code = 413; // the server may close the connection as soon as it answered
    } finally {
      client.connectionPool().evictAll();
      client.dispatcher().executorService().shutdown();
    }
    assertThat(code).isEqualTo(413);
    assertThat(logs.resolve("job-1/1-a1.log")).doesNotExist();
    if (Files.isDirectory(logs.resolve("job-1"))) {
      try (Stream<Path> files = Files.list(logs.resolve("job-1"))) {
        assertThat(files).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "logs/0/0",
        "logs/-1/1",
        "logs/01/1",
        "logs/1/01",
        "logs/1/10000",
        "logs/1234567890/1",
        "logs/a/1",
        "logs/1/a",
        "logs/1",
        "logs/1/2/3",
        "logs/../1",
        "logs/%2e%2e/1",
        "logs/1%2f2/1",
        "logs/0/1.log",
        "logs/0/1%00",
        "logs//1",
      })
  void aBadLogNameIs404(String tail) throws IOException {
    RawHttp.Answer a = put("/v1/jobs/job-1/" + tail, "log");
    // an encoded NUL is one Jetty cannot parse: 400 before any name is looked at
    assertThat(a.status()).isEqualTo(tail.contains("%00") ? 400 : 404);
    try (Stream<Path> all = Files.exists(logs) ? Files.walk(logs) : Stream.empty()) {
      assertThat(all.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void withoutALogFolderUploadsAre404() throws IOException {
    try (ArtifactServer plain = ArtifactServer.builder().build()) {
      plain.start();
      ArtifactServer.Registration r = plain.register(new JobId("job-1"), tmp.resolve("job"));
      assertThat(
              RawHttp.send(
                      plain.port(), "PUT", "/v1/jobs/job-1/logs/0/1", new byte[] {1}, bearer(r))
                  .status())
          .isEqualTo(404);
      assertThat(plain.log(new JobId("job-1"), 0, 1)).isEmpty();
    }
  }

  @Test
  void theFetcherUploadsLogs() throws IOException {
    Path log = write(tmp, "local.log", "from the worker\n");
    try (ArtifactFetcher fetcher = ArtifactFetcher.builder(tmp.resolve("cache")).build()) {
      ArtifactFetcher.LogReceipt r = fetcher.uploadLog(reg.baseUrl(), reg.token(), 7, 3, log);
      assertThat(r).isEqualTo(new ArtifactFetcher.LogReceipt(16, sha("from the worker\n")));
      assertThat(logs.resolve("job-1/7-a3.log")).hasSameBinaryContentAs(log);
      Path big = write(tmp, "big.log", "z".repeat(2000));
      assertThatThrownBy(() -> fetcher.uploadLog(reg.baseUrl(), reg.token(), 7, 3, big))
          .isInstanceOfSatisfying(
              ArtifactException.class,
              e -> assertThat(e.reason()).isEqualTo(ArtifactException.Reason.TOO_LARGE));
      assertThatThrownBy(() -> fetcher.uploadLog(reg.baseUrl(), "wrong", 7, 3, log))
          .isInstanceOfSatisfying(
              ArtifactException.class,
              e -> assertThat(e.reason()).isEqualTo(ArtifactException.Reason.UNAUTHORIZED));
      assertThat(logs.resolve("job-1/7-a3.log")).hasSameBinaryContentAs(log);
    }
  }
}
