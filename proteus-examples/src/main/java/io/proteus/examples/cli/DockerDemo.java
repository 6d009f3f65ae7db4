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

/** The demo's Docker set-up: the busybox image made on the spot, a strict policy, one engine. */
final class DockerDemo {
  private DockerDemo() {}

  /**
   * Platforms running in containers, or empty (with the reason on stderr) when Docker is not there.
   */
  static Optional<Function<String, Platform>> platforms(Path work) {
    if (!DockerEngine.available()) {
      System.err.println(
          "proteus demo: no Docker daemon answers at DOCKER_HOST or /var/run/docker.sock; start dockerd, or run without --engine docker");
      return Optional.empty();
    }
    try {
      if (BusyboxImage.ensure(
          BusyboxImage.DEFAULT_NAME, Path.of("/bin/busybox"), Optional.empty())) {
        System.out.println("Made image " + BusyboxImage.DEFAULT_NAME + " from /bin/busybox");
      }
      DockerPolicy policy =
          DockerPolicy.builder()
              .allowImages("proteus-test/*")
              .defaultImage(BusyboxImage.DEFAULT_NAME)
              .memory(128L << 20, 256L << 20)
              .build();
      DockerEngine engine = DockerEngine.connect(policy);
      DockerCaches caches = new DockerCaches(work.resolve("docker-caches"), 1L << 30);
      return Optional.of(name -> new DockerPlatform(name, engine, caches));
    } catch (ProteusException e) {
      System.err.println("proteus demo: " + e.getMessage());
      return Optional.empty();
    }
  }
}
