package io.proteus.docker.internal;

import io.proteus.docker.ImageRef;
import io.proteus.docker.RuntimeMode;
import java.util.Optional;

/**
 * What a checked request turns into: the image and how to get it, the limits, network and user.
 *
 * @param image the image to run (for {@code BUILD}, the tag the build gets)
 * @param mode how to get it
 * @param dockerfile for {@code BUILD}, the Dockerfile's path relative to the workspace
 * @param network whether it gets a network
 * @param memoryBytes its memory limit
 * @param cpus its CPU limit
 * @param pids its process-count limit
 * @param user who it runs as, if set
 */
public record ContainerPlan(
    ImageRef image,
    RuntimeMode mode,
    Optional<String> dockerfile,
    boolean network,
    long memoryBytes,
    double cpus,
    long pids,
    Optional<String> user) {}
