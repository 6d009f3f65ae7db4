package io.proteus.core.internal.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 digests: made, written as lower-case hex or base64, and checked for form. */
public final class Sha256 {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  private Sha256() {}

  /** A fresh SHA-256 digest. */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Whether {@code s} is a SHA-256 in lower-case hex. */
  public static boolean isHex(String s) {
    return HEX.matcher(s).matches();
  }

  /** The digest's value as lower-case hex. */
  public static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Hex as base64, for the {@code Repr-Digest} header. */
  public static String base64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  /** The SHA-256 of a channel's bytes from its start, read in 64 KiB pieces. */
  public static String of(FileChannel channel) throws IOException {
    MessageDigest md = digest();
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    long pos = 0;
    int n;
    while ((n = channel.read(buf, pos)) > 0) {
      pos += n;
      buf.flip();
      md.update(buf);
      buf.clear();
    }
    return hex(md);
  }

  /** The SHA-256 and the length of a stream's bytes, up to {@code max} bytes. */
  public static Sized of(InputStream in, long max) throws IOException {
    MessageDigest md = digest();
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > max) {
        throw new IOException("longer than " + max + " bytes");
      }
      md.update(buf, 0, n);
    }
    return new Sized(total, hex(md));
  }

  /**
   * A length and a digest.
   *
   * @param size the bytes
   * @param sha256 their SHA-256 in hex
   */
  public record Sized(long size, String sha256) {}
}
