package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.EngineException;
import io.proteus.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases and garbage collection of cache folders; no Docker needed. */
class DockerCachesTest {
  @TempDir Path root;
  @TempDir Path outer;
  final ManualClock clock = new ManualClock();

  @Test
  void namesThatAreNotPlainSafeNamesAreRefusedAndNothingBesideTheRootIsTouched() throws Exception {
    Path cacheRoot = outer.resolve("caches");
    Path sentinel = Files.writeString(outer.resolve("sentinel.txt"), "keep me");
    DockerCaches caches = new DockerCaches(cacheRoot, 1, clock);
    for (String bad :
        new String[] {
          "..", ".", "", ".hidden", "-rf", "a/b", "../caches-evil", "a\\b", "x".repeat(129), "é"
        }) {
      assertThatThrownBy(() -> caches.acquire(bad, true, Duration.ZERO))
          .as("name '%s'", bad)
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("is refused");
      assertThatThrownBy(() -> caches.folderOf(bad))
          .as("name '%s'", bad)
          .isInstanceOf(EngineException.class);
    }
    try (DockerCaches.Lease l = caches.acquire("deps", true, Duration.ZERO)) {
      Files.write(l.folder().path().resolve("data"), new byte[100]);
    }
    caches.collect();
    assertThat(sentinel).hasContent("keep me");
    assertThat(outer.resolve("caches")).isDirectory();
    try (var list = Files.list(outer)) {
      assertThat(list.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("caches", "sentinel.txt");
    }
    assertThat(caches.names()).doesNotContain("..", ".");
  }

  @Test
  void theCollectorDeletesOnlyFoldersItMadeAndNeverFollowsLinks() throws Exception {
    Path cacheRoot = outer.resolve("caches");
    Path outside = Files.createDirectories(outer.resolve("outside"));
    Files.write(outside.resolve("big"), new byte[10_000]);
    Files.createDirectories(cacheRoot.resolve("found"));
    Files.write(cacheRoot.resolve("found/data"), new byte[500]);
    Files.createSymbolicLink(cacheRoot.resolve("linked"), outside);
    DockerCaches caches = new DockerCaches(cacheRoot, 100, clock);
    assertThatThrownBy(() -> caches.acquire("linked", true, Duration.ZERO))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("not a folder");
    caches.acquire("found", false, Duration.ZERO).close();
    try (DockerCaches.Lease l = caches.acquire("made", true, Duration.ZERO)) {
      Files.createSymbolicLink(l.folder().path().resolve("out"), outside);
      assertThat(l.folder().size()).isZero();
      Files.write(l.folder().path().resolve("data"), new byte[200]);
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(cacheRoot.resolve("made")).doesNotExist();
    assertThat(cacheRoot.resolve("found/data")).exists();
    assertThat(outside.resolve("big")).exists();

    DockerCaches first = new DockerCaches(cacheRoot, 1 << 20, clock);
    try (DockerCaches.Lease l = first.acquire("kept", true, Duration.ZERO)) {
      Files.write(l.folder().path().resolve("data"), new byte[200]);
    }
    DockerCaches restarted = new DockerCaches(cacheRoot, 100, clock);
    restarted.acquire("kept", false, Duration.ZERO).close();
    assertThat(cacheRoot.resolve("kept")).as("made by an earlier instance").doesNotExist();
    assertThat(cacheRoot.resolve("found/data")).exists();
  }

  @Test
  void anExclusiveLeaseExcludesEveryOtherLease() {
    DockerCaches caches = new DockerCaches(root, 1 << 20, clock);
    DockerCaches.Lease writer = caches.acquire("deps", true, Duration.ZERO);
    assertThatThrownBy(() -> caches.acquire("deps", true, Duration.ZERO))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("deps");
    assertThatThrownBy(() -> caches.acquire("deps", false, Duration.ZERO))
        .isInstanceOf(EngineException.class);
    writer.close();
    DockerCaches.Lease r1 = caches.acquire("deps", false, Duration.ZERO);
    DockerCaches.Lease r2 = caches.acquire("deps", false, Duration.ZERO);
    assertThatThrownBy(() -> caches.acquire("deps", true, Duration.ZERO))
        .isInstanceOf(EngineException.class);
    r1.close();
    r2.close();
    r2.close();
    caches.acquire("deps", true, Duration.ZERO).close();
  }

  @Test
  void aWaitingExclusiveLeaseGetsTheCacheWhenItIsReleased() throws Exception {
    DockerCaches caches = new DockerCaches(root, 1 << 20);
    DockerCaches.Lease first = caches.acquire("deps", true, Duration.ZERO);
    Thread releaser = Thread.ofVirtual().unstarted(first::close);
    var second =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> caches.acquire("deps", true, Duration.ofSeconds(30)),
            r -> Thread.ofVirtual().start(r));
    releaser.start();
    assertThat(second.get(30, java.util.concurrent.TimeUnit.SECONDS).exclusive()).isTrue();
  }

  @Test
  void theCollectorKeepsTheBudgetLeastRecentlyUsedFirstAndSparesHeldCaches() throws Exception {
    DockerCaches caches = new DockerCaches(root, 250, clock);
    for (String name : new String[] {"old", "middle", "new"}) {
      try (DockerCaches.Lease l = caches.acquire(name, true, Duration.ZERO)) {
        Files.write(l.folder().path().resolve("data"), new byte[100]);
        clock.advance(Duration.ofMinutes(1));
      }
    }
    assertThat(caches.names()).containsExactly("middle", "new");
    assertThat(caches.totalBytes()).isLessThanOrEqualTo(250);
    assertThat(root.resolve("old")).doesNotExist();

    DockerCaches.Lease held = caches.acquire("middle", false, Duration.ZERO);
    clock.advance(Duration.ofMinutes(1));
    try (DockerCaches.Lease l = caches.acquire("newest", true, Duration.ZERO)) {
      Files.write(l.folder().path().resolve("data"), new byte[100]);
    }
    assertThat(caches.names()).contains("middle", "newest").doesNotContain("new");
    held.close();
  }
}
