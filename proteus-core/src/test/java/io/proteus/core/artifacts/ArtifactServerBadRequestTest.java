package io.proteus.core.artifacts;

import static io.proteus.core.artifacts.TestServers.bearer;
import static io.proteus.core.artifacts.TestServers.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.proteus.model.JobId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server's bad requests: every hostile path gets the very answer a missing file gets, every bad
 * token a 401, and neither ever a byte of a file.
 */
class ArtifactServerBadRequestTest {
  static final String SECRET = "the secret outside the job";
  static final String FILES = "/v1/jobs/job-1/files/";

  @TempDir Path tmp;
  ArtifactServer server;
  ArtifactServer.Registration reg;
  ArtifactServer.Registration other;
  int port;
  Path job;

  @BeforeEach
  void start() throws IOException {
    job = tmp.resolve("jobs/job-1");
    write(job, "bin/app", "the app");
    write(tmp, "outside/secret", SECRET);
    write(tmp, "jobs/job-2/bin/app", "job two's app");
    Files.createSymbolicLink(job.resolve("bin/link-out"), tmp.resolve("outside/secret"));
    Files.createSymbolicLink(job.resolve("bin/link-in"), job.resolve("bin/app"));
    Files.createSymbolicLink(job.resolve("dir-out"), tmp.resolve("outside"));
    Files.createSymbolicLink(job.resolve("dir-in"), job.resolve("bin"));
    Files.createSymbolicLink(job.resolve("dangling"), tmp.resolve("nowhere"));
    server = ArtifactServer.builder().build();
    server.start();
    port = server.port();
    reg = server.register(new JobId("job-1"), job);
    other = server.register(new JobId("job-2"), tmp.resolve("jobs/job-2"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Status, headers but the date, and body: what a client could learn from an answer. */
  static Map<String, Object> seen(RawHttp.Answer a) {
    Map<String, Object> m = new TreeMap<>(a.headers());
    m.remove("date");
    m.put(":status", a.status());
    m.put(":body", a.text());
    return m;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../outside/secret",
        "../../jobs/job-1/bin/app",
        "bin/../../outside/secret",
        "bin/../bin/app",
        "./bin/app",
        "bin/./app",
        "%2e%2e/outside/secret",
        "%2E%2E/outside/secret",
        ".%2e/outside/secret",
        "%2e./outside/secret",
        "bin/%2e%2e/%2e%2e/outside/secret",
        "..%2foutside%2fsecret",
        "bin%2fapp",
        "bin%2Fapp",
        "%252e%252e/outside/secret",
        "%252e%252e%252foutside%252fsecret",
        "bin%252fapp",
        "..%5coutside%5csecret",
        "bin%5capp",
        "..\\outside\\secret",
        "bin\\app",
        "%c0%ae%c0%ae/outside/secret",
        "bin%c0%afapp",
        "%e0%80%ae%e0%80%ae/outside/secret",
        "%c0%2e%c0%2e/outside/secret",
        "/etc/passwd",
        "//etc/passwd",
        "%2fetc%2fpasswd",
        "%2Fetc/passwd",
        "C:%5cWindows%5cwin.ini",
        "C:/Windows/win.ini",
        "c%3a/x",
        "bin//app",
        "bin/app/",
        "bin/",
        "bin",
        "",
        "..;/outside/secret",
        "bin/link-out",
        "bin/link-in",
        "dir-out/secret",
        "dir-in/app",
        "dir-in/link-out",
        "dangling",
        "bin/nope",
        "nope/app",
        "bin/app%0a",
        "bin/app%7f",
        "%e2%80%ae",
      })
  void aHostilePathGetsTheAnswerOfAMissingFile(String path) throws IOException {
    RawHttp.Answer missing = RawHttp.get(port, FILES + "no-such-file", bearer(reg));
    assertThat(missing.status()).isEqualTo(404);
    RawHttp.Answer a = RawHttp.get(port, FILES + path, bearer(reg));
    assertThat(seen(a)).isEqualTo(seen(missing));
    assertThat(a.text()).doesNotContain(SECRET).doesNotContain("the app");
  }

  /**
   * A target Jetty's parser cannot read is answered 400 before any job, token or file is looked at:
   * the answer is the same with the right token, with none and for a job that does not exist.
   */
  @ParameterizedTest
  @ValueSource(strings = {"bin/app%00", "bin/app%00.txt", "%00", "%", "%2", "%zz", "bin/app%"})
  void anUnparseableTargetIs400WhateverTheJobOrToken(String path) throws IOException {
    RawHttp.Answer a = RawHttp.get(port, FILES + path, bearer(reg));
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.text()).isEqualTo("bad request\n");
    assertThat(seen(RawHttp.get(port, FILES + path))).isEqualTo(seen(a));
    assertThat(seen(RawHttp.get(port, "/v1/jobs/nope/files/" + path, bearer(other))))
        .isEqualTo(seen(a));
  }

  @Test
  void aFifoIsNotServed() throws Exception {
    Path fifo = job.resolve("fifo");
    int rc = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
    assumeTrue(rc == 0 && Files.exists(fifo));
    assertThat(RawHttp.get(port, FILES + "fifo", bearer(reg)).status()).isEqualTo(404);
  }

  @Test
  void aHardLinkTheHostPutInTheFolderIsTheJobsFile() throws IOException {
    Path link = job.resolve("bin/hard");
    try {
      Files.createLink(link, tmp.resolve("outside/secret"));
    } catch (UnsupportedOperationException | IOException e) {
      assumeTrue(false, "no hard links here: " + e);
    }
    RawHttp.Answer a = RawHttp.get(port, FILES + "bin/hard", bearer(reg));
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.text()).isEqualTo(SECRET);
  }

  @Test
  void theServedFileIsTheRightOne() throws IOException {
    assertThat(RawHttp.get(port, FILES + "bin/app", bearer(reg)).text()).isEqualTo("the app");
    assertThat(RawHttp.get(port, FILES + "b%69n/%61pp", bearer(reg)).text()).isEqualTo("the app");
    assertThat(RawHttp.get(port, FILES + "bin/app?x=../../outside", bearer(reg)).text())
        .isEqualTo("the app");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Authorization: Basic dXNlcjpwYXNz",
        "Authorization: Bearer",
        "Authorization: Bearer ",
        "Authorization: Token abc",
        "Authorization: Bearer a b",
        "Authorization: Bearer not-the-token",
        "Authorization: Bearer %s!",
        "Authorization: Bearer  %s",
        "Authorization: Bearer %sx",
        "Authorization: Bearer %.20s",
        "Authorization: Bearer %s, Bearer %1$s",
        "Authorization: %s",
      })
  void aMissingOrWrongTokenIs401(String header) throws IOException {
    String h = String.format(header, reg.token());
    RawHttp.Answer a =
        h.isEmpty()
            ? RawHttp.get(port, FILES + "bin/app")
            : RawHttp.get(port, FILES + "bin/app", h);
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.header("WWW-Authenticate")).startsWith("Bearer realm=\"proteus\"");
    assertThat(a.text()).isEqualTo("unauthorized\n");
  }

  @Test
  void twoAuthorizationHeadersAre401() throws IOException {
    assertThat(RawHttp.get(port, FILES + "bin/app", bearer(reg), bearer(reg)).status())
        .isEqualTo(401);
  }

  @Test
  void theSchemeIsCaseInsensitive() throws IOException {
    assertThat(
            RawHttp.get(port, FILES + "bin/app", "Authorization: bearer " + reg.token()).status())
        .isEqualTo(200);
  }

  @Test
  void anotherJobsTokenIs401AndAnUnknownJobLooksTheSame() throws IOException {
    RawHttp.Answer wrongJob = RawHttp.get(port, FILES + "bin/app", bearer(other));
    RawHttp.Answer unknown = RawHttp.get(port, "/v1/jobs/job-9/files/bin/app", bearer(reg));
    RawHttp.Answer badId = RawHttp.get(port, "/v1/jobs/job%2d1/files/bin/app", bearer(reg));
    RawHttp.Answer dots = RawHttp.get(port, "/v1/jobs/../jobs/job-1/files/bin/app", bearer(reg));
    assertThat(wrongJob.status()).isEqualTo(401);
    assertThat(seen(unknown)).isEqualTo(seen(wrongJob));
    assertThat(seen(badId)).isEqualTo(seen(wrongJob));
    assertThat(dots.status()).isIn(401, 404);
    assertThat(wrongJob.text() + unknown.text() + dots.text()).doesNotContain("app");
    assertThat(RawHttp.get(port, "/v1/jobs/job-2/files/bin/app", bearer(reg)).status())
        .isEqualTo(401);
    assertThat(RawHttp.get(port, "/v1/jobs/job-1/manifest", bearer(other)).status()).isEqualTo(401);
    assertThat(RawHttp.get(port, "/v1/jobs/job-1/manifest").status()).isEqualTo(401);
    assertThat(
            RawHttp.send(port, "PUT", "/v1/jobs/job-1/logs/0/1", new byte[] {1}, bearer(other))
                .status())
        .isEqualTo(401);
  }

  @Test
  void theAuthorizationIsCheckedBeforeThePath() throws IOException {
    assertThat(RawHttp.get(port, FILES + "%2e%2e/outside/secret").status()).isEqualTo(401);
    assertThat(RawHttp.get(port, FILES + "no-such-file").status()).isEqualTo(401);
  }

  @Test
  void otherMethodsAndRoutesAreRefused() throws IOException {
    RawHttp.Answer post = RawHttp.send(port, "POST", FILES + "bin/app", new byte[0], bearer(reg));
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
    RawHttp.Answer getLog = RawHttp.get(port, "/v1/jobs/job-1/logs/0/1", bearer(reg));
    assertThat(getLog.status()).isEqualTo(405);
    assertThat(getLog.header("Allow")).isEqualTo("PUT");
    assertThat(RawHttp.send(port, "DELETE", "/v1/jobs/job-1/manifest", null, bearer(reg)).status())
        .isEqualTo(405);
    assertThat(RawHttp.get(port, "/", bearer(reg)).status()).isEqualTo(404);
    assertThat(RawHttp.get(port, "/v1/jobs/job-1", bearer(reg)).status()).isEqualTo(404);
    assertThat(RawHttp.get(port, "/v1/jobs/job-1/other", bearer(reg)).status()).isEqualTo(404);
    assertThat(RawHttp.get(port, "/v2/jobs/job-1/files/bin/app", bearer(reg)).status())
        .isEqualTo(404);
  }

  @Test
  void anOversizedHeaderIsRefusedWithoutAnEcho() throws IOException {
    RawHttp.Answer a =
        RawHttp.get(port, FILES + "bin/app", bearer(reg), "X-Big: " + "x".repeat(20_000));
    assertThat(a.status()).isEqualTo(431);
    assertThat(a.text()).isEqualTo("request header fields too large\n");
  }

  @Test
  void aVeryLongPathIs404() throws IOException {
    RawHttp.Answer a = RawHttp.get(port, FILES + "a/".repeat(3000) + "b", bearer(reg));
    assertThat(a.status()).isIn(404, 414, 431);
  }
}
