package io.proteus.docker;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the Docker daemon and the test image. Without a daemon the tests skip with a message, but
 * with {@code CI=true} they fail: CI must run them. The image {@code proteus-test/busybox:1} is
 * made locally from the static busybox binary (no registry is reachable); {@code .ci/run} imports
 * it, and this makes it too when it is missing.
 */
final class DockerTestSupport {
  static final String IMAGE = "proteus-test/busybox:1";
  static final List<String> APPLETS =
      List.of(
          "sh", "echo", "cat", "sleep", "true", "false", "head", "tr", "seq", "printf", "kill",
          "ls", "ln", "touch", "grep", "env", "id", "wc", "mkdir", "rm");

  private DockerTestSupport() {}

  /** Skips (or, in CI, fails) when no daemon answers; makes the test image when it is missing. */
  static void requireDocker() {
    if (!DockerEngine.available()) {
      String why = "no Docker daemon answers at DOCKER_HOST or /var/run/docker.sock";
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true, so the Docker tests must run, but " + why);
      }
      Assumptions.abort("skipped: " + why + " (start dockerd to run the Docker engine tests)");
    }
    try (DockerClient client = DockerEngine.client(Optional.empty())) {
      try {
        client.inspectImageCmd(IMAGE).exec();
      } catch (NotFoundException e) {
        client.createImageCmd(IMAGE, new ByteArrayInputStream(busyboxRoot())).exec();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A tar of a root with the static busybox and its applets. */
  static byte[] busyboxRoot() throws IOException {
    Path busybox = Path.of("/bin/busybox");
    if (!Files.exists(busybox)) {
      fail("the test image needs a static busybox at /bin/busybox (Debian package busybox-static)");
    }
    byte[] bin = Files.readAllBytes(busybox);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (String dir : List.of("bin/", "tmp/", "etc/")) {
        TarArchiveEntry d = new TarArchiveEntry(dir);
        d.setMode(dir.equals("tmp/") ? 01777 : 0755);
        tar.putArchiveEntry(d);
        tar.closeArchiveEntry();
      }
      TarArchiveEntry e = new TarArchiveEntry("bin/busybox");
      e.setSize(bin.length);
      e.setMode(0755);
      tar.putArchiveEntry(e);
      tar.write(bin);
      tar.closeArchiveEntry();
      for (String applet : APPLETS) {
        TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarArchiveEntry.LF_SYMLINK);
        link.setLinkName("busybox");
        tar.putArchiveEntry(link);
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  static DockerPolicy policy() {
    return DockerPolicy.builder().allowImages("proteus-test/*").defaultImage(IMAGE).build();
  }
}
