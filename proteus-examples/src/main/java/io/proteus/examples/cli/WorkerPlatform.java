package io.proteus.examples.cli;

import io.proteus.core.process.ProcessOptions;
import io.proteus.core.process.ProcessPlatform;
import io.proteus.docker.DockerPolicy;
import io.proteus.spi.Platform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The worker's platform from {@code worker.platform}, {@code worker.engine} and its options. */
final class WorkerPlatform {
  private WorkerPlatform() {}

  /**
   * The platform, or empty when Docker is asked for and not there (the reason is on stderr).
   *
   * @throws ConfigException naming the key that is wrong
   */
  static Optional<Platform> of(LauncherConfig config, Path work) throws ConfigException {
    String name = config.string("worker.platform");
    if (config.string("worker.engine").equals("process")) {
      if (config.optionalString("worker.docker.image").isPresent()) {
        throw new ConfigException("worker.docker.image is for worker.engine docker");
      }
      ProcessOptions options;
      try {
        options =
            ProcessOptions.defaults()
                .withPassEnvironment(config.list("worker.passEnv").toArray(String[]::new));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("worker.passEnv: " + e.getMessage());
      }
      return Optional.of(new ProcessPlatform(name, work.resolve("caches"), options));
    }
    if (!config.list("worker.passEnv").isEmpty()) {
      throw new ConfigException(
          "worker.passEnv is for worker.engine process; containers get only their test's"
              + " environment");
    }
    return DockerDemo.platforms(work, policy(config), "proteus worker").map(f -> f.apply(name));
  }

  private static long size(LauncherConfig config, String key) throws ConfigException {
    try {
      return DockerOptions.size(key, config.string(key));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage() + " (" + config.where(key) + ")");
    }
  }

  private static DockerPolicy policy(LauncherConfig config) throws ConfigException {
    String image =
        config
            .optionalString("worker.docker.image")
            .filter(s -> !s.isBlank())
            .orElseThrow(
                () -> new ConfigException("worker.engine docker needs worker.docker.image"));
    long memory;
    long max;
    memory = size(config, "worker.docker.memory");
    max = size(config, "worker.docker.maxMemory");
    if (memory > max) {
      throw new ConfigException("worker.docker.memory is more than worker.docker.maxMemory");
    }
    List<String> allowed = new ArrayList<>(config.list("worker.docker.allowImages"));
    if (allowed.isEmpty()) {
      allowed.add(image);
    }
    try {
      return DockerPolicy.builder()
          .allowImages(allowed.toArray(String[]::new))
          .defaultImage(image)
          .memory(memory, max)
          .allowNetwork(config.flag("worker.docker.allowNetwork"))
          .build();
    } catch (RuntimeException e) {
      throw new ConfigException("worker.docker: " + e.getMessage());
    }
  }
}
