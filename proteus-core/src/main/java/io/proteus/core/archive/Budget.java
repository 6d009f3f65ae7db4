package io.proteus.core.archive;

import io.proteus.ArchiveException;
import java.nio.charset.StandardCharsets;

/**
 * One unpacking's counts against its limits, and the refusals that name the archive, the entry's
 * index and its name.
 */
final class Budget {
  static final long RATIO_FLOOR = 1 << 20;
  private static final int SHOWN_CHARS = 160;

  final String archive;
  final ArchiveLimits limits;
  private final long archiveSize;
  private final long cap;
  private final boolean reserved;
  private long entries;
  private long total;
  private String name = "";

  /**
   * A budget for {@code archive} of {@code archiveSize} bytes; {@code cap} below the limits' total
   * is a reservation the unpacking must stay within.
   */
  Budget(String archive, long archiveSize, ArchiveLimits limits, long cap) {
    this.archive = archive;
    this.limits = limits;
    this.archiveSize = Math.max(1, archiveSize);
    this.reserved = cap < limits.maxTotalBytes();
    this.cap = Math.min(cap, limits.maxTotalBytes());
  }

  /** The index the next entry will have, from 1. */
  long nextIndex() {
    return entries + 1;
  }

  /** Counts the next entry and checks its name. */
  void entry(String entryName) {
    name = entryName;
    if (++entries > limits.maxEntries()) {
      throw refuse("the archive has more than " + limits.maxEntries() + " entries");
    }
    checkName(entryName, "name");
  }

  /** Refuses a name or link target that is empty, too long or has a NUL or control character. */
  void checkName(String text, String what) {
    if (text.isEmpty()) {
      throw refuse("its " + what + " is empty");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw refuse("its " + what + " has the control character U+" + hex(c));
      }
    }
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > limits.maxNameBytes()) {
      throw refuse(
          "its "
              + what
              + " has "
              + bytes
              + " bytes, over the limit of "
              + limits.maxNameBytes()
              + " bytes");
    }
  }

  /** Refuses an archive whose entries declare more than may be written, before writing any. */
  void declares(long declared) {
    if (declared > cap) {
      throw refuseArchive(
          "its entries declare "
              + declared
              + " bytes, more than the "
              + cap
              + (reserved ? " bytes reserved for it" : " bytes the limit allows"));
    }
  }

  /** Counts {@code n} bytes written. */
  void wrote(long n) {
    total += n;
    if (total > cap) {
      throw refuse(
          reserved
              ? "the archive unpacks to more than the " + cap + " bytes reserved for it"
              : "the archive unpacks to more than " + cap + " bytes");
    }
    if (total > RATIO_FLOOR && total > archiveSize * limits.maxRatio()) {
      throw refuse(
          "the archive unpacks to more than "
              + limits.maxRatio()
              + " times its size of "
              + archiveSize
              + " bytes; refused as a possible bomb");
    }
  }

  /** Bytes written so far. */
  long total() {
    return total;
  }

  /** A refusal at the current entry. */
  ArchiveException refuse(String what) {
    return new ArchiveException(
        archive + ": entry #" + entries + " '" + shown(name) + "': " + what);
  }

  /** A refusal at the entry being read, before its name is known. */
  ArchiveException refuseHeader(String what) {
    return new ArchiveException(archive + ": entry #" + nextIndex() + ": " + what);
  }

  /** A refusal of the whole archive. */
  ArchiveException refuseArchive(String what) {
    return new ArchiveException(archive + ": " + what);
  }

  /** A name as it can go into a message: control characters escaped, long names cut. */
  static String shown(String text) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    for (; i < text.length() && b.length() < SHOWN_CHARS; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append("\\u").append(hex(c));
      } else {
        b.append(c);
      }
    }
    if (i < text.length()) {
      b.append("... (").append(text.length()).append(" characters)");
    }
    return b.toString();
  }

  private static String hex(char c) {
    return String.format("%04X", (int) c);
  }
}
