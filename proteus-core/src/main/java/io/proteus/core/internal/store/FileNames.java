package io.proteus.core.internal.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The file name a job's files take. A job id of lower-case letters, digits, {@code .}, {@code _}
 * and {@code -}, starting with a letter or digit and at most {@value #MAX_PLAIN} characters long,
 * is its own name. An id with upper-case letters keeps its readable form with a {@code ~} and 8
 * hexadecimal digits of its SHA-256 appended, so that two ids that differ only in case never share
 * a file on a case-insensitive file system. Any other id is named {@code ~} and the 64 hexadecimal
 * digits of its SHA-256. A name is always one plain path segment that no temporary file ({@code
 * .…}) shares.
 */
public final class FileNames {
  /** The longest id used as it is. */
  public static final int MAX_PLAIN = 120;

  private static final Pattern PLAIN = Pattern.compile("[a-z0-9][a-z0-9._-]{0,119}");
  private static final Pattern MIXED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,119}");

  private FileNames() {}

  /** The name, without extension, of the files of the job with this id. */
  public static String of(String jobId) {
    if (PLAIN.matcher(jobId).matches()) {
      return jobId;
    }
    String hash = sha256(jobId);
    if (MIXED.matcher(jobId).matches()) {
      return jobId + "~" + hash.substring(0, 8);
    }
    return "~" + hash;
  }

  private static String sha256(String s) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(d.digest(s.getBytes(StandardCharsets.UTF_16BE)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
