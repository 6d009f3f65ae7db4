package io.proteus.core.artifacts;

import static io.proteus.core.artifacts.TestServers.bytes;
import static io.proteus.core.artifacts.TestServers.sha;
import static io.proteus.core.artifacts.TestServers.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.proteus.ArtifactException;
import io.proteus.ArtifactException.Reason;
import io.proteus.model.JobId;
import io.proteus.spi.BuildFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactFetcherTest {
  @TempDir Path tmp;
  Path job;
  Path cache;
  ArtifactServer server;
  ArtifactServer.Registration reg;
  ArtifactFetcher fetcher;

  @BeforeEach
  void start() throws IOException {
    job = tmp.resolve("job");
    write(job, "bin/app", "the app");
    write(job, "scenarios/login.sh", "echo login");
    write(job, "data/a", bytes(40, 1));
    write(job, "data/b", bytes(40, 2));
    write(job, "data/c", bytes(40, 3));
    write(job, "data/d", bytes(40, 4));
    write(job, "data/big", bytes(200, 5));
    server = ArtifactServer.builder().build();
    server.start();
    reg = server.register(new JobId("job-1"), job);
    cache = tmp.resolve("cache");
    fetcher = fetcher(cache, 1 << 20);
  }

  ArtifactFetcher fetcher(Path root, long budget) {
    return ArtifactFetcher.builder(root)
        .budgetBytes(budget)
        .retries(3, Duration.ofMillis(10), Duration.ofMillis(50))
        .build();
  }

  @AfterEach
  void stop() {
    fetcher.close();
    server.close();
  }

  Path fetch(String path) throws IOException {
    byte[] b = Files.readAllBytes(job.resolve(path));
    return fetcher.fetch(reg.baseUrl(), reg.token(), path, sha(b), b.length);
  }

  static Reason reason(Throwable t) {
    return ((ArtifactException) t).reason();
  }

  @Test
  void aFileLandsInTheContentAddressedCacheAndIsFetchedOnce() throws IOException {
    Path p = fetch("bin/app");
    String hex = sha("the app");
    assertThat(p).isEqualTo(cache.resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex));
    assertThat(p).hasContent("the app");
    long served = server.stats().filesServed();
    long requests = server.stats().requests();
    assertThat(fetch("bin/app")).isEqualTo(p);
    assertThat(server.stats().requests()).isEqualTo(requests);
    assertThat(server.stats().filesServed()).isEqualTo(served).isEqualTo(1);
    assertThat(fetcher.cachedBytes()).isEqualTo(7);
    try (ArtifactFetcher again = fetcher(cache, 1 << 20)) {
      assertThat(again.cachedBytes()).isEqualTo(7);
      assertThat(again.fetch(reg.baseUrl(), "any token", "bin/app", hex, 7)).isEqualTo(p);
    }
    assertThat(server.stats().requests()).isEqualTo(requests);
  }

  @Test
  void theSecondTaskOfABuildDownloadsNothing() throws IOException {
    Manifest manifest = fetcher.manifest(reg.baseUrl(), reg.token());
    assertThat(manifest.files()).hasSize(7);
    assertThat(manifest).isEqualTo(server.manifest(new JobId("job-1")).orElseThrow());
    Path first = stage(fetcher.files(reg.baseUrl(), reg.token(), manifest), tmp.resolve("task-0"));
    long requests = server.stats().requests();
    assertThat(server.stats().filesServed()).isEqualTo(2);
    Path second = stage(fetcher.files(reg.baseUrl(), reg.token(), manifest), tmp.resolve("task-1"));
    assertThat(server.stats().requests()).isEqualTo(requests);
    assertThat(second.resolve("bin/app")).hasSameTextualContentAs(first.resolve("bin/app"));
    assertThat(second.resolve("scenarios/login.sh")).hasContent("echo login");
  }

  static Path stage(BuildFiles files, Path workspace) throws IOException {
    for (String p : List.of("bin/app", "scenarios/login.sh")) {
      Path dest = workspace.resolve(p);
      Files.createDirectories(dest.getParent());
      try (InputStream in = files.open(p)) {
        Files.copy(in, dest);
      }
    }
    return workspace;
  }

  @Test
  void theBuildFilesViewRefusesWhatTheManifestDoesNotList() throws IOException {
    Manifest manifest = fetcher.manifest(reg.baseUrl(), reg.token());
    BuildFiles files = fetcher.files(reg.baseUrl(), reg.token(), manifest);
    assertThatThrownBy(() -> files.open("bin/other")).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> files.open("../job/bin/app")).isInstanceOf(NoSuchFileException.class);
    Files.delete(job.resolve("bin/app"));
    assertThatThrownBy(() -> files.open("bin/app")).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void aFileChangedAfterTheManifestIsADigestMismatchAndNothingIsKept() throws IOException {
    Manifest manifest = fetcher.manifest(reg.baseUrl(), reg.token());
    Manifest.Entry app = manifest.find("bin/app").orElseThrow();
    Files.writeString(job.resolve("bin/app"), "the bad");
    assertThatThrownBy(
            () -> fetcher.fetch(reg.baseUrl(), reg.token(), "bin/app", app.sha256(), app.size()))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(Reason.DIGEST_MISMATCH))
        .hasMessageContaining("SHA-256 is " + sha("the bad"))
        .hasMessageContaining("not the expected " + app.sha256())
        .hasMessageContaining("nothing kept");
    assertThat(fetcher.cachedBytes()).isZero();
    assertThat(cache.resolve("sha256").resolve(app.sha256().substring(0, 2)).resolve(app.sha256()))
        .doesNotExist();
    try (Stream<Path> partial = Files.list(cache.resolve("partial"))) {
      assertThat(partial).isEmpty();
    }
    BuildFiles files = fetcher.files(reg.baseUrl(), reg.token(), manifest);
    assertThatThrownBy(() -> files.open("bin/app"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("SHA-256");
  }

  @Test
  void aFileOfAnotherSizeIsASizeMismatch() throws IOException {
    String hex = sha("the app");
    Files.writeString(job.resolve("bin/app"), "the app, longer now");
    assertThatThrownBy(() -> fetcher.fetch(reg.baseUrl(), reg.token(), "bin/app", hex, 7))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(Reason.SIZE_MISMATCH));
    Files.writeString(job.resolve("bin/app"), "short");
    assertThatThrownBy(() -> fetcher.fetch(reg.baseUrl(), reg.token(), "bin/app", hex, 7))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(Reason.SIZE_MISMATCH));
    assertThat(fetcher.cachedBytes()).isZero();
  }

  @Test
  void refusalsSayWhy() {
    String hex = sha("the app");
    assertThatThrownBy(() -> fetcher.fetch(reg.baseUrl(), "not-the-token", "bin/app", hex, 7))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(Reason.UNAUTHORIZED))
        .hasMessageNotContaining(reg.token());
    assertThatThrownBy(() -> fetcher.fetch(reg.baseUrl(), reg.token(), "bin/nope", hex, 7))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(Reason.NOT_FOUND));
    assertThatThrownBy(() -> fetcher.fetch(reg.baseUrl(), reg.token(), "../bin/app", hex, 7))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fetcher.fetch(reg.baseUrl(), reg.token(), "bin/app", "ABC", 7))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() ->
            fetcher.fetch(
                URI.create("http://127.0.0.1:1/no-slash"), reg.token(), "bin/app", hex, 7))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLeastRecentlyUsedFileIsEvictedFirst() throws IOException {
    try (ArtifactFetcher small = fetcher(tmp.resolve("small"), 100)) {
      fetcher.close();
      fetcher = small;
      Path a = fetch("data/a");
      Path b = fetch("data/b");
      assertThat(fetch("data/a")).isEqualTo(a);
      Path c = fetch("data/c");
      assertThat(a).exists();
      assertThat(b).doesNotExist();
      assertThat(c).exists();
      assertThat(small.cachedBytes()).isEqualTo(80);
      assertThatThrownBy(() -> fetch("data/big"))
          .satisfies(e -> assertThat(reason(e)).isEqualTo(Reason.TOO_LARGE));
      assertThat(a).exists();
      assertThat(c).exists();
    }
  }

  @Test
  void aFileInUseIsNeverEvicted() throws IOException {
    try (ArtifactFetcher small = fetcher(tmp.resolve("small"), 100)) {
      fetcher.close();
      fetcher = small;
      Manifest manifest = small.manifest(reg.baseUrl(), reg.token());
      BuildFiles files = small.files(reg.baseUrl(), reg.token(), manifest);
      try (InputStream a = files.open("data/a");
          InputStream b = files.open("data/b")) {
        assertThatThrownBy(() -> fetch("data/c"))
            .satisfies(e -> assertThat(reason(e)).isEqualTo(Reason.CACHE_FULL))
            .satisfies(e -> assertThat(((ArtifactException) e).retryable()).isTrue());
        assertThat(a.readAllBytes()).isEqualTo(bytes(40, 1));
        assertThat(b.readAllBytes()).isEqualTo(bytes(40, 2));
      }
      assertThat(fetch("data/c")).exists();
      assertThat(small.cachedBytes()).isEqualTo(80);
    }
  }

  @Test
  void concurrentFetchesOfOneDigestShareOneDownload() throws Exception {
    try (FlakyProxy proxy = new FlakyProxy(server.port())) {
      proxy.hold = new CountDownLatch(1);
      URI base = URI.create("http://127.0.0.1:" + proxy.port() + "/v1/jobs/job-1/");
      byte[] big = bytes(200, 5);
      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Thread> threads = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Future<Path>> results = new ArrayList<>();
      try {
        for (int i = 0; i < 6; i++) {
          results.add(
              pool.submit(() -> {
                threads.add(Thread.currentThread());
                return fetcher.fetch(base, reg.token(), "data/big", sha(big), big.length);
              }));
        }
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() ->
                proxy.heads().size() == 1
                    && threads.size() == 6
                    && threads.stream()
                            .filter(t -> t.getState() == Thread.State.TIMED_WAITING)
                            .count()
                        == 5);
        proxy.hold.countDown();
        Path first = results.get(0).get();
        for (Future<Path> f : results) {
          assertThat(f.get()).isEqualTo(first);
        }
        assertThat(first).hasBinaryContent(big);
      } finally {
        pool.shutdownNow();
      }
      assertThat(proxy.heads()).hasSize(1);
      assertThat(server.stats().filesServed()).isEqualTo(1);
    }
  }

  @Test
  void aRestartKeepsTheCacheAndDropsPartialsAndStrays() throws IOException {
    Path p = fetch("bin/app");
    fetcher.close();
    Files.writeString(cache.resolve("partial/" + sha("x") + ".part"), "half");
    Files.writeString(cache.resolve("sha256/zz-not-a-digest"), "stray");
    Files.createDirectories(cache.resolve("sha256/00"));
    Files.writeString(cache.resolve("sha256/00/" + sha("the app")), "wrong folder");
    fetcher = fetcher(cache, 1 << 20);
    assertThat(p).hasContent("the app");
    assertThat(fetcher.cachedBytes()).isEqualTo(7);
    try (Stream<Path> partial = Files.list(cache.resolve("partial"))) {
      assertThat(partial).isEmpty();
    }
    assertThat(cache.resolve("sha256/zz-not-a-digest")).doesNotExist();
    assertThat(cache.resolve("sha256/00/" + sha("the app"))).doesNotExist();
    assertThat(new String(Files.readAllBytes(p), StandardCharsets.UTF_8)).isEqualTo("the app");
  }
}
