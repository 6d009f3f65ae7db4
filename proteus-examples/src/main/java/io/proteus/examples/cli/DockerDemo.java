package io.proteus.examples.cli;

import io.proteus.ProteusException;
import io.proteus.docker.BusyboxImage;
import io.proteus.docker.DockerCaches;
import io.proteus.docker.DockerEngine;
import io.proteus.docker.DockerPlatform;
import io.proteus.docker.DockerPolicy;
import io.proteus.spi.Platform;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * The launcher's Docker set-up: one engine with a policy, the busybox test image made on the spot
 * when it is the one asked for, caches under the work folder.
 */
final class DockerDemo {
  private DockerDemo() {}

  /** The demo's policy: its own busybox image only, 128 MiB per task, at most 256 MiB. */
  static DockerPolicy demoPolicy() {
    return DockerPolicy.builder()
        .allowImages("proteus-test/*")
        .defaultImage(BusyboxImage.DEFAULT_NAME)
        .memory(128L << 20, 256L << 20)
        .build();
  }

  /**
   * Platforms running in containers under {@code policy}, or empty (with the reason on stderr,
   * prefixed by {@code who}) when Docker is not there.
   */
  static Optional<Function<String, Platform>> platforms(
      Path work, DockerPolicy policy, String who) {
    if (!DockerEngine.available()) {
      System.err.println(
          who
              + ": no Docker daemon answers at DOCKER_HOST or /var/run/docker.sock; start dockerd,"
              + " or run without --engine docker");
      return Optional.empty();
    }
    try {
      if (policy.defaultImage().filter(BusyboxImage.DEFAULT_NAME::equals).isPresent()
          && BusyboxImage.ensure(
              BusyboxImage.DEFAULT_NAME, Path.of("/bin/busybox"), Optional.empty())) {
        System.out.println("Made image " + BusyboxImage.DEFAULT_NAME + " from /bin/busybox");
      }
      DockerEngine engine = DockerEngine.connect(policy);
      DockerCaches caches = new DockerCaches(work.resolve("docker-caches"), 1L << 30);
      return Optional.of(name -> new DockerPlatform(name, engine, caches));
    } catch (ProteusException e) {
      System.err.println(who + ": " + e.getMessage());
      return Optional.empty();
    }
  }
}
