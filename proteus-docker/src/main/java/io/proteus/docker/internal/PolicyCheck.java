package io.proteus.docker.internal;

import io.proteus.EngineException;
import io.proteus.docker.DockerPolicy;
import io.proteus.docker.ImagePattern;
import io.proteus.docker.ImageRef;
import io.proteus.docker.RuntimeMode;
import io.proteus.model.ContainerRequest;
import io.proteus.spi.FailureKind;
import java.util.Optional;

/**
 * Checks a task's container request against the policy. Every refusal is an {@link EngineException}
 * that says what was asked and what the policy allows; nothing has started.
 */
public final class PolicyCheck {
  /** The least memory Docker gives a container. */
  static final long MIN_MEMORY = 6L << 20;

  private PolicyCheck() {}

  /** The plan for a request, or a refusal. */
  public static ContainerPlan check(
      DockerPolicy policy, Optional<ContainerRequest> maybe, String buildTag) {
    ContainerRequest r = maybe.orElse(ContainerRequest.defaults());
    if (r.privileged()) {
      throw refused("privileged mode is never allowed");
    }
    if (r.network() && !policy.allowNetwork()) {
      throw refused("the task asks for a network; the policy allows none");
    }
    long memory = r.memoryBytes().orElse(policy.defaultMemoryBytes());
    if (memory < MIN_MEMORY) {
      throw refused(
          "the task asks for "
              + memory
              + " bytes of memory; the least a container may have is "
              + MIN_MEMORY);
    }
    if (memory > policy.maxMemoryBytes()) {
      throw refused(
          "the task asks for "
              + memory
              + " bytes of memory; the policy allows at most "
              + policy.maxMemoryBytes());
    }
    double cpus = r.cpus().orElse(policy.defaultCpus());
    if (!(cpus >= 0.01)) {
      throw refused("the task asks for " + cpus + " CPUs; it must ask for at least 0.01");
    }
    if (cpus > policy.maxCpus()) {
      throw refused(
          "the task asks for " + cpus + " CPUs; the policy allows at most " + policy.maxCpus());
    }
    long pids = r.pids().orElse(policy.defaultPids());
    if (pids < 1) {
      throw refused("the task asks for " + pids + " processes; it must ask for at least 1");
    }
    if (pids > policy.maxPids()) {
      throw refused(
          "the task asks for "
              + pids
              + " processes; the policy allows at most "
              + policy.maxPids());
    }
    Optional<String> user = r.user().or(policy::defaultUser);
    if (user.isPresent() && TaskUser.parse(user.get()).isEmpty()) {
      throw refused(
          "the task's user '"
              + Labels.clean(user.get())
              + "' is not numeric: give uid or uid:gid, so the engine can give it the workspace");
    }
    if (r.dockerfile().isPresent()) {
      if (!policy.modes().contains(RuntimeMode.BUILD)) {
        throw refused(
            "the task builds its image from "
                + r.dockerfile().get()
                + "; the policy does not allow BUILD");
      }
      return new ContainerPlan(
          ImageRef.parse(buildTag),
          RuntimeMode.BUILD,
          r.dockerfile(),
          r.network(),
          memory,
          cpus,
          pids,
          user);
    }
    String name =
        r.image()
            .or(policy::defaultImage)
            .orElseThrow(
                () -> refused("the task names no image and the policy has no default image"));
    ImageRef image;
    try {
      image = ImageRef.parse(name);
    } catch (IllegalArgumentException e) {
      throw refused(e.getMessage());
    }
    if (policy.allowedImages().stream().noneMatch(p -> p.allows(image))) {
      throw refused(
          "image "
              + image
              + " is not allowed; the policy allows "
              + policy.allowedImages().stream().map(ImagePattern::text).toList());
    }
    RuntimeMode mode =
        policy.modes().contains(RuntimeMode.PULL) ? RuntimeMode.PULL : RuntimeMode.PRESENT;
    if (!policy.modes().contains(RuntimeMode.PULL)
        && !policy.modes().contains(RuntimeMode.PRESENT)) {
      throw refused("the policy allows neither PRESENT nor PULL images");
    }
    return new ContainerPlan(image, mode, Optional.empty(), r.network(), memory, cpus, pids, user);
  }

  /**
   * Checks that an image on the daemon satisfies the pins of the patterns that allow it: one
   * unpinned pattern is enough; otherwise a pin must equal the image's id or one of its repository
   * digests.
   */
  public static void checkPins(
      DockerPolicy policy, ImageRef image, String imageId, java.util.List<String> repoDigests) {
    boolean allowed = false;
    for (ImagePattern p : policy.allowedImages()) {
      if (!p.allows(image)) {
        continue;
      }
      allowed = true;
      if (p.pinnedDigest().isEmpty()) {
        return;
      }
      String pin = p.pinnedDigest().get();
      if (imageId.equals(pin)
          || repoDigests.stream().anyMatch(d -> d.substring(d.indexOf('@') + 1).equals(pin))) {
        return;
      }
    }
    throw refused(
        allowed
            ? "image "
                + image
                + " ("
                + imageId
                + ") does not match the digest its allowlist entry pins"
            : "image " + image + " is not allowed");
  }

  static EngineException refused(String why) {
    return EngineException.nonRetryable(
        FailureKind.POLICY_REFUSED, "refused by the Docker policy: " + why);
  }
}
