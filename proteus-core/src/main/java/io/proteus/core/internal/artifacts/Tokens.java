package io.proteus.core.internal.artifacts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-job tokens: 256 random bits from {@link SecureRandom}, as 43 base64url characters, compared
 * in constant time.
 */
public final class Tokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern BEARER = Pattern.compile("(?i:bearer) ([A-Za-z0-9_-]{1,256})");

  private Tokens() {}

  /** A fresh token. */
  public static String fresh() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The token of an {@code Authorization: Bearer <token>} header, or empty if it is not one. */
  public static Optional<String> bearer(String header) {
    Matcher m = BEARER.matcher(header);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Whether two tokens are equal, in time that depends on their lengths alone. */
  public static boolean same(String expected, String given) {
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
  }
}
