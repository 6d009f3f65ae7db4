package io.proteus.core.internal.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.ArtifactException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentCacheTest {
  @TempDir Path tmp;

  static String sha(int n) {
    return HexFormat.of().formatHex(new byte[32]).substring(2) + String.format("%02x", n);
  }

  Path put(ContentCache cache, int n, int size) throws IOException {
    cache.reserve(size);
    Path partial = Files.write(cache.partialOf(sha(n)), new byte[size]);
    return cache.commit(sha(n), size, partial);
  }

  @Test
  void theUseOrderSurvivesARestart() throws IOException {
    ContentCache cache = new ContentCache(tmp, 100);
    Path a = put(cache, 1, 30);
    Path b = put(cache, 2, 30);
    Path c = put(cache, 3, 30);
    Files.setLastModifiedTime(a, FileTime.fromMillis(3_000_000));
    Files.setLastModifiedTime(b, FileTime.fromMillis(1_000_000));
    Files.setLastModifiedTime(c, FileTime.fromMillis(2_000_000));
    ContentCache again = new ContentCache(tmp, 100);
    assertThat(again.digests()).containsExactly(sha(2), sha(3), sha(1));
    assertThat(again.storedBytes()).isEqualTo(90);
    put(again, 4, 30);
    assertThat(b).doesNotExist();
    assertThat(again.digests()).containsExactly(sha(3), sha(1), sha(4));
  }

  @Test
  void aSmallerBudgetOnRestartEvictsTheOldestFirst() throws IOException {
    ContentCache cache = new ContentCache(tmp, 100);
    Path a = put(cache, 1, 40);
    Path b = put(cache, 2, 40);
    Files.setLastModifiedTime(a, FileTime.fromMillis(1_000_000));
    Files.setLastModifiedTime(b, FileTime.fromMillis(2_000_000));
    ContentCache smaller = new ContentCache(tmp, 50);
    assertThat(smaller.digests()).containsExactly(sha(2));
    assertThat(a).doesNotExist();
  }

  @Test
  void reservationsCountAgainstTheBudgetUntilGivenBack() throws IOException {
    ContentCache cache = new ContentCache(tmp, 100);
    cache.reserve(60);
    assertThatThrownBy(() -> cache.reserve(50))
        .isInstanceOfSatisfying(
            ArtifactException.class,
            e -> assertThat(e.reason()).isEqualTo(ArtifactException.Reason.CACHE_FULL));
    cache.release(60);
    cache.reserve(100);
    cache.release(100);
    assertThatThrownBy(() -> cache.reserve(101))
        .isInstanceOfSatisfying(
            ArtifactException.class,
            e -> assertThat(e.reason()).isEqualTo(ArtifactException.Reason.TOO_LARGE));
  }

  @Test
  void aPinnedFileIsSkippedByEviction() throws IOException {
    ContentCache cache = new ContentCache(tmp, 100);
    Path a = put(cache, 1, 50);
    Path b = put(cache, 2, 50);
    assertThat(cache.pin(sha(1), 50)).contains(a);
    put(cache, 3, 50);
    assertThat(a).exists();
    assertThat(b).doesNotExist();
    cache.unpin(sha(1));
    cache.lookup(sha(3), 50);
    put(cache, 4, 50);
    assertThat(a).doesNotExist();
  }

  @Test
  void backoffsDoubleUpToTheMaximum() {
    Retries r = new Retries(6, Duration.ofMillis(100), Duration.ofMillis(350));
    assertThat(r.backoff(2)).isEqualTo(Duration.ofMillis(100));
    assertThat(r.backoff(3)).isEqualTo(Duration.ofMillis(200));
    assertThat(r.backoff(4)).isEqualTo(Duration.ofMillis(350));
    assertThat(r.backoff(60)).isEqualTo(Duration.ofMillis(350));
    assertThat(r.worstCase(Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofMillis(6000 + 100 + 200 + 350 + 350 + 350));
  }
}
