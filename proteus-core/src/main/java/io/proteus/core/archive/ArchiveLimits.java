package io.proteus.core.archive;

/**
 * Limits that keep an archive from exhausting the disk, the memory or the time of the machine that
 * unpacks it. Each is checked before the bytes it bounds are read or written.
 *
 * @param maxTotalBytes the most bytes all entries may unpack to (counted as they are written)
 * @param maxEntries the most entries an archive may have
 * @param maxRatio the most the unpacked bytes may be over the archive's size
 * @param maxNameBytes the longest entry name or link target, in UTF-8 bytes
 * @param maxHeaderBytes the most header bytes one entry may carry: a tar entry's long names, PAX
 *     extended headers and header records together, all global PAX headers of a tar together, or
 *     the extra fields and comment of a zip entry
 * @param maxDepth the most folders an entry's path may go down
 */
public record ArchiveLimits(
    long maxTotalBytes,
    int maxEntries,
    double maxRatio,
    int maxNameBytes,
    int maxHeaderBytes,
    int maxDepth) {
  /** Names and link targets: 4096 bytes, the longest path Linux takes. */
  public static final int DEFAULT_MAX_NAME_BYTES = 4096;

  /** Header bytes per entry: 64 KiB. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;

  /** Folder depth: 128. */
  public static final int DEFAULT_MAX_DEPTH = 128;

  /** 2 GiB, 100,000 entries, a ratio of 200, and the default name, header and depth limits. */
  public static final ArchiveLimits DEFAULT = new ArchiveLimits(2L << 30, 100_000, 200);

  /** Checks the limits are positive. */
  public ArchiveLimits {
    if (maxTotalBytes <= 0
        || maxEntries <= 0
        || !(maxRatio > 1)
        || maxNameBytes <= 0
        || maxHeaderBytes <= 0
        || maxDepth <= 0) {
      throw new IllegalArgumentException(
          "limits must be positive and the ratio above 1: "
              + maxTotalBytes
              + ", "
              + maxEntries
              + ", "
              + maxRatio
              + ", "
              + maxNameBytes
              + ", "
              + maxHeaderBytes
              + ", "
              + maxDepth);
    }
  }

  /** Limits on bytes, entries and ratio, with the default name, header and depth limits. */
  public ArchiveLimits(long maxTotalBytes, int maxEntries, double maxRatio) {
    this(
        maxTotalBytes,
        maxEntries,
        maxRatio,
        DEFAULT_MAX_NAME_BYTES,
        DEFAULT_MAX_HEADER_BYTES,
        DEFAULT_MAX_DEPTH);
  }

  /** These limits with another total. */
  public ArchiveLimits withMaxTotalBytes(long bytes) {
    return new ArchiveLimits(bytes, maxEntries, maxRatio, maxNameBytes, maxHeaderBytes, maxDepth);
  }

  /** These limits with another entry count. */
  public ArchiveLimits withMaxEntries(int entries) {
    return new ArchiveLimits(
        maxTotalBytes, entries, maxRatio, maxNameBytes, maxHeaderBytes, maxDepth);
  }

  /** These limits with another ratio. */
  public ArchiveLimits withMaxRatio(double ratio) {
    return new ArchiveLimits(
        maxTotalBytes, maxEntries, ratio, maxNameBytes, maxHeaderBytes, maxDepth);
  }

  /** These limits with another longest name. */
  public ArchiveLimits withMaxNameBytes(int bytes) {
    return new ArchiveLimits(maxTotalBytes, maxEntries, maxRatio, bytes, maxHeaderBytes, maxDepth);
  }

  /** These limits with another header size. */
  public ArchiveLimits withMaxHeaderBytes(int bytes) {
    return new ArchiveLimits(maxTotalBytes, maxEntries, maxRatio, maxNameBytes, bytes, maxDepth);
  }

  /** These limits with another folder depth. */
  public ArchiveLimits withMaxDepth(int depth) {
    return new ArchiveLimits(
        maxTotalBytes, maxEntries, maxRatio, maxNameBytes, maxHeaderBytes, depth);
  }
}
