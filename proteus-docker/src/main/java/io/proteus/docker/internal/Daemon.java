package io.proteus.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.proteus.EngineException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections to one daemon: {@code calls} for requests that answer at once (inspect, create,
 * kill, remove, list), each bounded by a response timeout, and {@code streams} for requests that
 * last as long as a container or a build (attach, wait, exec, build, pull, copy), whose callers
 * bound their own waits; {@code http} is the streams' transport, for raw requests.
 *
 * @param host the daemon's address
 * @param calls the client for short requests
 * @param streams the client for long requests
 * @param http the transport of {@code streams}
 */
public record Daemon(String host, DockerClient calls, DockerClient streams, DockerHttpClient http)
    implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  /**
   * Connects to the daemon at {@code dockerHost} (or {@code DOCKER_HOST}, or the default socket)
   * and checks it answers.
   *
   * @throws EngineException when no daemon answers
   */
  public static Daemon connect(Optional<String> dockerHost, Duration callTimeout) {
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder();
    dockerHost.ifPresent(config::withDockerHost);
    DefaultDockerClientConfig cfg = config.build();
    DockerHttpClient quick =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(cfg.getDockerHost())
            .sslConfig(cfg.getSSLConfig())
            .connectionTimeout(Duration.ofSeconds(10))
            .responseTimeout(callTimeout)
            .build();
    DockerHttpClient slow =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(cfg.getDockerHost())
            .sslConfig(cfg.getSSLConfig())
            .connectionTimeout(Duration.ofSeconds(10))
            .build();
    Daemon d =
        new Daemon(
            String.valueOf(cfg.getDockerHost()),
            DockerClientImpl.getInstance(cfg, quick),
            DockerClientImpl.getInstance(cfg, slow),
            slow);
    try {
      d.calls.pingCmd().exec();
    } catch (RuntimeException e) {
      d.close();
      throw new EngineException(
          "no Docker daemon answers at "
              + cfg.getDockerHost()
              + " (set DOCKER_HOST, or start dockerd): "
              + e.getMessage(),
          e);
    }
    return d;
  }

  @Override
  public void close() {
    for (AutoCloseable c : new AutoCloseable[] {calls, streams}) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        log.debug("cannot close a Docker client: {}", e.getMessage());
      } catch (Exception e) {
        log.debug("cannot close a Docker client: {}", e.getMessage());
      }
    }
  }
}
