package io.proteus.model;

import java.util.List;
import java.util.Optional;

/**
 * What a test asks of a container engine. Engines check it against their policy and refuse, before
 * anything starts, a request that asks for more than the policy allows. Engines that run no
 * containers ignore it.
 *
 * @param image the image to run, by name (and tag or digest); absent for the engine's default
 * @param dockerfile a Dockerfile in the build to build the image from, relative to the build's root
 * @param network whether the task needs a network (none by default)
 * @param memoryBytes a memory limit; absent for the engine's default
 * @param cpus a CPU limit in cores; absent for the engine's default
 * @param pids a process-count limit; absent for the engine's default
 * @param user the user to run as; absent for the engine's default
 * @param privileged whether the task asks for privileged mode (always refused by the Docker engine)
 * @param caches cache folders to mount
 * @param services sidecars to run beside it on a private network
 */
public record ContainerRequest(
    Optional<String> image,
    Optional<String> dockerfile,
    boolean network,
    Optional<Long> memoryBytes,
    Optional<Double> cpus,
    Optional<Long> pids,
    Optional<String> user,
    boolean privileged,
    List<CacheMount> caches,
    List<ServiceRequest> services) {

  /** Copies the caches and services. */
  public ContainerRequest {
    caches = List.copyOf(caches);
    services = List.copyOf(services);
  }

  /** A request without caches. */
  public ContainerRequest(
      Optional<String> image,
      Optional<String> dockerfile,
      boolean network,
      Optional<Long> memoryBytes,
      Optional<Double> cpus,
      Optional<Long> pids,
      Optional<String> user,
      boolean privileged) {
    this(
        image,
        dockerfile,
        network,
        memoryBytes,
        cpus,
        pids,
        user,
        privileged,
        List.of(),
        List.of());
  }

  /** A request for nothing in particular: the engine's default image and limits, no network. */
  public static ContainerRequest defaults() {
    return new ContainerRequest(
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false);
  }

  /** A request for this image with the engine's defaults for everything else. */
  public static ContainerRequest image(String image) {
    return new ContainerRequest(
        Optional.of(image),
        Optional.empty(),
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false);
  }

  /** This request with a memory limit. */
  public ContainerRequest withMemory(long bytes) {
    return new ContainerRequest(
        image, dockerfile, network, Optional.of(bytes), cpus, pids, user, privileged);
  }

  /** This request with or without a network. */
  public ContainerRequest withNetwork(boolean wanted) {
    return new ContainerRequest(
        image, dockerfile, wanted, memoryBytes, cpus, pids, user, privileged);
  }

  /** This request asking for privileged mode. */
  public ContainerRequest asPrivileged() {
    return new ContainerRequest(
        image, dockerfile, network, memoryBytes, cpus, pids, user, true, caches, services);
  }

  /** This request with a sidecar service. */
  public ContainerRequest withService(ServiceRequest service) {
    List<ServiceRequest> more = new java.util.ArrayList<>(services);
    more.add(service);
    return new ContainerRequest(
        image, dockerfile, network, memoryBytes, cpus, pids, user, privileged, caches, more);
  }

  /** This request with a cache mounted. */
  public ContainerRequest withCache(CacheMount cache) {
    List<CacheMount> more = new java.util.ArrayList<>(caches);
    more.add(cache);
    return new ContainerRequest(
        image, dockerfile, network, memoryBytes, cpus, pids, user, privileged, more, services);
  }
}
