package io.proteus.core.internal.agent;

import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.Host;
import io.proteus.spi.Platform;
import io.proteus.spi.transport.FilesResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How an agent runtime is made: who it is, the engine's platform, its folder, its timings, the
 * attempts' settings, its host, how it fetches build files, and where it keeps ends for the core.
 *
 * @param descriptor what it is and offers
 * @param platform makes its engine
 * @param workRoot the folder it owns (workspaces, logs)
 * @param heartbeatInterval how often it says it is alive
 * @param resendInterval how long an end waits for the core's acknowledgement before it is sent
 *     again while connected
 * @param attempts how it runs each attempt
 * @param host the machine's owner, who may ask it to leave
 * @param files turns a dispatch's files reference into files
 * @param outbox the folder of kept ends; empty to keep them in memory
 * @param maxUnacknowledged how many ends it keeps at most; it takes no task while that many wait
 * @param leaveGrace how long a leaving agent waits for the core to acknowledge its last ends
 */
public record AgentSettings(
    WorkerDescriptor descriptor,
    Platform platform,
    Path workRoot,
    Duration heartbeatInterval,
    Duration resendInterval,
    AttemptRun.Settings attempts,
    Host host,
    FilesResolver files,
    Optional<Path> outbox,
    int maxUnacknowledged,
    Duration leaveGrace) {

  /** Checks the fields. */
  public AgentSettings {
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(workRoot, "workRoot");
    positive("heartbeatInterval", heartbeatInterval);
    positive("resendInterval", resendInterval);
    Objects.requireNonNull(attempts, "attempts");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(outbox, "outbox");
    if (maxUnacknowledged < 1) {
      throw new IllegalArgumentException(
          "maxUnacknowledged must be at least 1: " + maxUnacknowledged);
    }
    if (leaveGrace.isNegative()) {
      throw new IllegalArgumentException("leaveGrace must not be negative: " + leaveGrace);
    }
  }

  private static void positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
