package io.proteus.core.artifacts;

import io.proteus.core.internal.artifacts.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** Small helpers shared by the artifact tests. */
final class TestServers {
  private TestServers() {}

  static Path write(Path root, String relative, String content) throws IOException {
    return write(root, relative, content.getBytes(StandardCharsets.UTF_8));
  }

  static Path write(Path root, String relative, byte[] content) throws IOException {
    Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    return Files.write(p, content);
  }

  static String sha(byte[] bytes) {
    MessageDigest md = Sha256.digest();
    md.update(bytes);
    return Sha256.hex(md);
  }

  static String sha(String s) {
    return sha(s.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  static String bearer(ArtifactServer.Registration r) {
    return "Authorization: Bearer " + r.token();
  }
}
