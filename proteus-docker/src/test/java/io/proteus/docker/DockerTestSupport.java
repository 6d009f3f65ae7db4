package io.proteus.docker;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the Docker daemon and the test image. Without a daemon the tests skip with a message, but
 * with {@code CI=true} they fail: CI must run them. The image {@code proteus-test/busybox:1} is
 * made locally from the static busybox binary (no registry is reachable); {@code .ci/run} imports
 * it, and this makes it too when it is missing.
 */
final class DockerTestSupport {
  static final String IMAGE = BusyboxImage.DEFAULT_NAME;

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
    BusyboxImage.ensure(IMAGE, Path.of("/bin/busybox"), Optional.empty());
  }

  static DockerPolicy policy() {
    return DockerPolicy.builder().allowImages("proteus-test/*").defaultImage(IMAGE).build();
  }
}
