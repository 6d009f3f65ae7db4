package io.proteus.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArchiveLimitsTest {
  @Test
  void theDefaultsAreTheDocumentedOnes() {
    assertThat(ArchiveLimits.DEFAULT)
        .isEqualTo(new ArchiveLimits(2L << 30, 100_000, 200, 4096, 64 * 1024, 128));
    assertThat(new ArchiveLimits(10, 3, 1.5))
        .isEqualTo(new ArchiveLimits(10, 3, 1.5, 4096, 65536, 128));
  }

  @Test
  void everyLimitMustBePositiveAndTheRatioAboveOne() {
    new ArchiveLimits(1, 1, 1.0001, 1, 1, 1);
    for (Runnable bad :
        new Runnable[] {
          () -> new ArchiveLimits(0, 1, 2, 1, 1, 1),
          () -> new ArchiveLimits(1, 0, 2, 1, 1, 1),
          () -> new ArchiveLimits(1, 1, 1, 1, 1, 1),
          () -> new ArchiveLimits(1, 1, Double.NaN, 1, 1, 1),
          () -> new ArchiveLimits(1, 1, 2, 0, 1, 1),
          () -> new ArchiveLimits(1, 1, 2, 1, 0, 1),
          () -> new ArchiveLimits(1, 1, 2, 1, 1, 0)
        }) {
      assertThatThrownBy(bad::run)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("limits must be positive and the ratio above 1: ");
    }
  }

  @Test
  void eachWitherChangesOneLimit() {
    ArchiveLimits d = ArchiveLimits.DEFAULT;
    assertThat(d.withMaxTotalBytes(7))
        .isEqualTo(new ArchiveLimits(7, 100_000, 200, 4096, 65536, 128));
    assertThat(d.withMaxEntries(7))
        .isEqualTo(new ArchiveLimits(2L << 30, 7, 200, 4096, 65536, 128));
    assertThat(d.withMaxRatio(7))
        .isEqualTo(new ArchiveLimits(2L << 30, 100_000, 7, 4096, 65536, 128));
    assertThat(d.withMaxNameBytes(7))
        .isEqualTo(new ArchiveLimits(2L << 30, 100_000, 200, 7, 65536, 128));
    assertThat(d.withMaxHeaderBytes(7))
        .isEqualTo(new ArchiveLimits(2L << 30, 100_000, 200, 4096, 7, 128));
    assertThat(d.withMaxDepth(7))
        .isEqualTo(new ArchiveLimits(2L << 30, 100_000, 200, 4096, 65536, 7));
  }
}
