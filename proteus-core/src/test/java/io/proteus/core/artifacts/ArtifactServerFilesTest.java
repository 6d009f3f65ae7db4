package io.proteus.core.artifacts;

import static io.proteus.core.artifacts.TestServers.bearer;
import static io.proteus.core.artifacts.TestServers.sha;
import static io.proteus.core.artifacts.TestServers.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.core.internal.artifacts.Sha256;
import io.proteus.model.JobId;
import io.proteus.spi.BuildFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArtifactServerFilesTest {
  static final String BODY = "0123456789abcdefghij";
  static final String FILE = "/v1/jobs/job-1/files/bin/app";

  @TempDir Path tmp;
  ArtifactServer server;
  ArtifactServer.Registration reg;
  int port;

  @BeforeEach
  void start() throws IOException {
    Path job = tmp.resolve("job");
    write(job, "bin/app", BODY);
    write(job, "scenarios/a b.sh", "echo hi");
    write(job, "empty", "");
    server = ArtifactServer.builder().build();
    server.start();
    port = server.port();
    reg = server.register(new JobId("job-1"), job);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void servesAFileWithItsLengthDigestsAndRanges() throws IOException {
    RawHttp.Answer a = RawHttp.get(port, FILE, bearer(reg));
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.text()).isEqualTo(BODY);
    String hex = sha(BODY);
    assertThat(a.header("Content-Length")).isEqualTo("20");
    assertThat(a.header("ETag")).isEqualTo("\"" + hex + "\"");
    assertThat(a.header("X-Proteus-Sha256")).isEqualTo(hex);
    assertThat(a.header("Repr-Digest")).isEqualTo("sha-256=:" + Sha256.base64(hex) + ":");
    assertThat(a.header("Accept-Ranges")).isEqualTo("bytes");
    assertThat(a.header("Cache-Control")).isEqualTo("no-store");
    assertThat(a.header("Server")).isNull();
    assertThat(reg.baseUrl().toString()).isEqualTo("http://127.0.0.1:" + port + "/v1/jobs/job-1/");
  }

  @Test
  void encodedNamesAreDecodedOnce() throws IOException {
    RawHttp.Answer a = RawHttp.get(port, "/v1/jobs/job-1/files/scenarios/a%20b.sh", bearer(reg));
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.text()).isEqualTo("echo hi");
  }

  @ParameterizedTest
  @CsvSource({
    "bytes=0-4, 01234, bytes 0-4/20",
    "bytes=5-9, 56789, bytes 5-9/20",
    "bytes=15-, fghij, bytes 15-19/20",
    "bytes=18-100, ij, bytes 18-19/20",
    "bytes=-3, hij, bytes 17-19/20",
    "bytes=-50, 0123456789abcdefghij, bytes 0-19/20",
  })
  void servesOneRange(String range, String body, String contentRange) throws IOException {
    RawHttp.Answer a = RawHttp.get(port, FILE, bearer(reg), "Range: " + range);
    assertThat(a.status()).isEqualTo(206);
    assertThat(a.text()).isEqualTo(body);
    assertThat(a.header("Content-Range")).isEqualTo(contentRange);
    assertThat(a.header("Content-Length")).isEqualTo(Integer.toString(body.length()));
    assertThat(a.header("X-Proteus-Sha256")).isEqualTo(sha(BODY));
  }

  @ParameterizedTest
  @CsvSource({"bytes=20-", "bytes=25-30", "bytes=-0"})
  void anUnsatisfiableRangeIs416(String range) throws IOException {
    RawHttp.Answer a = RawHttp.get(port, FILE, bearer(reg), "Range: " + range);
    assertThat(a.status()).isEqualTo(416);
    assertThat(a.header("Content-Range")).isEqualTo("bytes */20");
  }

  @Test
  void anyRangeOfAnEmptyFileIs416() throws IOException {
    RawHttp.Answer a =
        RawHttp.get(port, "/v1/jobs/job-1/files/empty", bearer(reg), "Range: bytes=0-");
    assertThat(a.status()).isEqualTo(416);
    assertThat(RawHttp.get(port, "/v1/jobs/job-1/files/empty", bearer(reg)).status())
        .isEqualTo(200);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "bytes=0-1,5-6",
        "bytes=5-2",
        "items=0-1",
        "bytes=x-",
        "bytes=-",
        "bytes=99999999999999999999-"
      })
  void aRangeToIgnoreSendsTheWholeFile(String range) throws IOException {
    RawHttp.Answer a = RawHttp.get(port, FILE, bearer(reg), "Range: " + range);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.text()).isEqualTo(BODY);
  }

  @Test
  void ifRangeWithAnotherEtagSendsTheWholeFile() throws IOException {
    String etag = "\"" + sha(BODY) + "\"";
    assertThat(
            RawHttp.get(port, FILE, bearer(reg), "Range: bytes=10-", "If-Range: " + etag).status())
        .isEqualTo(206);
    RawHttp.Answer other =
        RawHttp.get(port, FILE, bearer(reg), "Range: bytes=10-", "If-Range: \"" + sha("x") + "\"");
    assertThat(other.status()).isEqualTo(200);
    assertThat(other.text()).isEqualTo(BODY);
  }

  @Test
  void headGivesTheHeadersWithoutTheBody() throws IOException {
    RawHttp.Answer a = RawHttp.send(port, "HEAD", FILE, null, bearer(reg));
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).isEmpty();
    assertThat(a.header("Content-Length")).isEqualTo("20");
    assertThat(a.header("X-Proteus-Sha256")).isEqualTo(sha(BODY));
    RawHttp.Answer part = RawHttp.send(port, "HEAD", FILE, null, bearer(reg), "Range: bytes=-5");
    assertThat(part.status()).isEqualTo(206);
    assertThat(part.header("Content-Range")).isEqualTo("bytes 15-19/20");
    assertThat(RawHttp.send(port, "HEAD", "/v1/jobs/job-1/files/nope", null, bearer(reg)).status())
        .isEqualTo(404);
  }

  @Test
  void theManifestListsEveryFileWithSizeAndDigest() throws IOException {
    RawHttp.Answer a = RawHttp.get(port, "/v1/jobs/job-1/manifest", bearer(reg));
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.header("Content-Type")).startsWith("application/json");
    assertThat(a.text())
        .isEqualTo(
            "{\"job\":\"job-1\",\"files\":["
                + "{\"path\":\"bin/app\",\"size\":20,\"sha256\":\""
                + sha(BODY)
                + "\"},"
                + "{\"path\":\"empty\",\"size\":0,\"sha256\":\""
                + sha("")
                + "\"},"
                + "{\"path\":\"scenarios/a b.sh\",\"size\":7,\"sha256\":\""
                + sha("echo hi")
                + "\"}]}");
    assertThat(server.manifest(new JobId("job-1")).orElseThrow().files())
        .extracting(Manifest.Entry::path)
        .containsExactly("bin/app", "empty", "scenarios/a b.sh");
  }

  @Test
  void aManifestOverItsLimitsIs422() throws IOException {
    try (ArtifactServer small = ArtifactServer.builder().maxManifest(2, 1 << 20).build()) {
      small.start();
      ArtifactServer.Registration r = small.register(new JobId("job-1"), tmp.resolve("job"));
      assertThat(RawHttp.get(small.port(), "/v1/jobs/job-1/manifest", bearer(r)).status())
          .isEqualTo(422);
    }
    try (ArtifactServer small = ArtifactServer.builder().maxManifest(10, 10).build()) {
      small.start();
      ArtifactServer.Registration r = small.register(new JobId("job-1"), tmp.resolve("job"));
      assertThat(RawHttp.get(small.port(), "/v1/jobs/job-1/manifest", bearer(r)).status())
          .isEqualTo(422);
    }
  }

  @Test
  void unregisteringOrRegisteringAgainEndsTheOldToken() throws IOException {
    ArtifactServer.Registration again = server.register(new JobId("job-1"), tmp.resolve("job"));
    assertThat(again.token()).isNotEqualTo(reg.token());
    assertThat(RawHttp.get(port, FILE, bearer(reg)).status()).isEqualTo(401);
    assertThat(RawHttp.get(port, FILE, bearer(again)).status()).isEqualTo(200);
    assertThat(server.unregister(new JobId("job-1"))).isTrue();
    assertThat(RawHttp.get(port, FILE, bearer(again)).status()).isEqualTo(401);
    assertThat(server.manifest(new JobId("job-1"))).isEmpty();
  }

  @Test
  void buildFilesServeOnlyTheListedPaths() throws IOException {
    ArtifactServer.Registration r =
        server.register(
            new JobId("job-2"),
            BuildFiles.ofFolder(tmp.resolve("job")),
            List.of("bin/app", "gone"));
    RawHttp.Answer a =
        RawHttp.get(port, "/v1/jobs/job-2/files/bin/app", bearer(r), "Range: bytes=3-5");
    assertThat(a.status()).isEqualTo(206);
    assertThat(a.text()).isEqualTo("345");
    assertThat(a.header("X-Proteus-Sha256")).isEqualTo(sha(BODY));
    assertThat(RawHttp.get(port, "/v1/jobs/job-2/files/empty", bearer(r)).status()).isEqualTo(404);
    assertThat(RawHttp.get(port, "/v1/jobs/job-2/files/gone", bearer(r)).status()).isEqualTo(404);
    assertThat(RawHttp.get(port, "/v1/jobs/job-2/manifest", bearer(r)).text())
        .isEqualTo(
            "{\"job\":\"job-2\",\"files\":[{\"path\":\"bin/app\",\"size\":20,\"sha256\":\""
                + sha(BODY)
                + "\"}]}");
  }

  @Test
  void theRegistrationHidesItsToken() {
    assertThat(reg.toString()).doesNotContain(reg.token()).contains("<hidden>");
    assertThat(reg.token()).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(reg.token().getBytes(StandardCharsets.US_ASCII).length * 6)
        .isGreaterThanOrEqualTo(128);
  }
}
