package io.proteus.docker.internal;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import java.util.List;
import java.util.Map;

/**
 * The host settings every container the engine makes gets: no privileges, every capability dropped,
 * no new privileges, a read-only root with a small writable {@code /tmp}, and the plan's memory (no
 * swap), CPU and process limits.
 */
public final class Hardening {
  private Hardening() {}

  /** Hardened host settings for {@code plan} on network {@code networkMode}. */
  public static HostConfig hostConfig(ContainerPlan plan, String networkMode) {
    return HostConfig.newHostConfig()
        .withMemory(plan.memoryBytes())
        .withMemorySwap(plan.memoryBytes())
        .withNanoCPUs((long) (plan.cpus() * 1_000_000_000L))
        .withPidsLimit(plan.pids())
        .withCapDrop(Capability.ALL)
        .withSecurityOpts(List.of("no-new-privileges"))
        .withReadonlyRootfs(true)
        .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,size=67108864"))
        .withNetworkMode(networkMode)
        .withPrivileged(false);
  }
}
