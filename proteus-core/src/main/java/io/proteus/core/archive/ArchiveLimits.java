package io.proteus.core.archive;

/**
 * Limits that stop archive bombs.
 *
 * @param maxTotalBytes the most bytes all entries may unpack to
 * @param maxEntries the most entries an archive may have
 * @param maxRatio the most the unpacked bytes may be over the archive's size
 */
public record ArchiveLimits(long maxTotalBytes, int maxEntries, double maxRatio) {
  /** Checks the limits are positive. */
  public ArchiveLimits {
    if (maxTotalBytes <= 0 || maxEntries <= 0 || maxRatio <= 1) {
      throw new IllegalArgumentException(
          "limits must be positive and the ratio above 1: "
              + maxTotalBytes
              + ", "
              + maxEntries
              + ", "
              + maxRatio);
    }
  }

  /** 2 GiB, 100,000 entries, a ratio of 200. */
  public static final ArchiveLimits DEFAULT = new ArchiveLimits(2L << 30, 100_000, 200);

  /** These limits with another total. */
  public ArchiveLimits withMaxTotalBytes(long bytes) {
    return new ArchiveLimits(bytes, maxEntries, maxRatio);
  }
}
