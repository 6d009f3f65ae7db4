package io.proteus.core.artifacts;

import static io.proteus.core.artifacts.TestServers.bytes;
import static io.proteus.core.artifacts.TestServers.sha;
import static io.proteus.core.artifacts.TestServers.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.ArtifactException;
import io.proteus.ArtifactException.Reason;
import io.proteus.core.artifacts.FlakyProxy.Fault;
import io.proteus.model.JobId;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken connections, stalls and failing servers, through a proxy in front of the real server. */
class ArtifactFetcherFaultsTest {
  static final int SIZE = 300_000;
  static final byte[] BIG = bytes(SIZE, 42);

  @TempDir Path tmp;
  ArtifactServer server;
  ArtifactServer.Registration reg;
  FlakyProxy proxy;
  URI base;

  @BeforeEach
  void start() throws IOException {
    write(tmp.resolve("job"), "big.bin", BIG);
    server = ArtifactServer.builder().build();
    server.start();
    reg = server.register(new JobId("job-1"), tmp.resolve("job"));
    proxy = new FlakyProxy(server.port());
    base = URI.create("http://127.0.0.1:" + proxy.port() + "/v1/jobs/job-1/");
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    server.close();
  }

  ArtifactFetcher fetcher(int attempts) {
    return ArtifactFetcher.builder(tmp.resolve("cache"))
        .retries(attempts, Duration.ofMillis(10), Duration.ofMillis(40))
        .readTimeout(Duration.ofMillis(500))
        .build();
  }

  Path fetchBig(ArtifactFetcher f) {
    return f.fetch(base, reg.token(), "big.bin", sha(BIG), SIZE);
  }

  static long rangeStart(String head) {
    Matcher m = Pattern.compile("(?im)^Range: bytes=(\\d+)-$").matcher(head);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  @Test
  void aDownloadBrokenMidwayIsResumedWithRange() throws IOException {
    proxy.cutAfter = 100_000;
    proxy.then(Fault.CUT, Fault.CUT);
    try (ArtifactFetcher f = fetcher(5)) {
      assertThat(fetchBig(f)).hasBinaryContent(BIG);
    }
    List<String> heads = proxy.heads();
    assertThat(heads).hasSize(3);
    assertThat(rangeStart(heads.get(0))).isEqualTo(-1);
    long second = rangeStart(heads.get(1));
    long third = rangeStart(heads.get(2));
    assertThat(second).isPositive().isLessThan(100_000);
    assertThat(third).isGreaterThan(second).isLessThan(200_000);
    assertThat(heads.get(1)).contains("If-Range: \"" + sha(BIG) + "\"");
    assertThat(heads).allSatisfy(h -> assertThat(h).contains("Authorization: Bearer "));
  }

  @Test
  void aServerThatIgnoresRangeMakesTheDownloadStartOver() throws IOException {
    proxy.cutAfter = 100_000;
    proxy.stripRange = true;
    proxy.then(Fault.CUT);
    try (ArtifactFetcher f = fetcher(3)) {
      assertThat(fetchBig(f)).hasBinaryContent(BIG);
    }
    assertThat(proxy.heads()).hasSize(2);
    assertThat(rangeStart(proxy.heads().get(1))).isPositive();
  }

  @Test
  void serverErrorsAreRetriedAndThenGiveUp() throws IOException {
    proxy.then(Fault.UNAVAILABLE, Fault.UNAVAILABLE);
    try (ArtifactFetcher f = fetcher(3)) {
      assertThat(fetchBig(f)).hasBinaryContent(BIG);
    }
    assertThat(proxy.heads()).hasSize(3);
    Files.delete(tmp.resolve("cache/sha256").resolve(sha(BIG).substring(0, 2)).resolve(sha(BIG)));
    proxy.then(Fault.UNAVAILABLE, Fault.UNAVAILABLE, Fault.UNAVAILABLE);
    try (ArtifactFetcher f = fetcher(2)) {
      assertThatThrownBy(() -> fetchBig(f))
          .isInstanceOfSatisfying(
              ArtifactException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
                assertThat(e.retryable()).isTrue();
              })
          .hasMessageContaining("503");
      assertThat(f.cachedBytes()).isZero();
    }
  }

  @Test
  void aStalledAnswerTimesOutAndIsRetried() throws IOException {
    proxy.then(Fault.STALL);
    try (ArtifactFetcher f = fetcher(2)) {
      assertThat(fetchBig(f)).hasBinaryContent(BIG);
    }
    assertThat(proxy.heads()).hasSize(2);
  }

  @Test
  void aServerThatCannotBeReachedIsUnavailableAfterTheRetries() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (ArtifactFetcher f = fetcher(3)) {
      assertThatThrownBy(() ->
              f.fetch(
                  URI.create("http://127.0.0.1:" + closed + "/v1/jobs/job-1/"),
                  reg.token(),
                  "big.bin",
                  sha(BIG),
                  SIZE))
          .isInstanceOfSatisfying(
              ArtifactException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
          .hasMessageContaining("after 3 tries")
          .hasMessageNotContaining(reg.token());
    }
    try (Stream<Path> partial = Files.list(tmp.resolve("cache/partial"))) {
      assertThat(partial).isEmpty();
    }
  }

  @Test
  void theManifestIsRetriedToo() throws IOException {
    proxy.then(Fault.UNAVAILABLE, Fault.CUT);
    proxy.cutAfter = 10;
    try (ArtifactFetcher f = fetcher(3)) {
      assertThat(f.manifest(base, reg.token()).files()).hasSize(1);
    }
    assertThat(proxy.heads()).hasSize(3);
  }
}
