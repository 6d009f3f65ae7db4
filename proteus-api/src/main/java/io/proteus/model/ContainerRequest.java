package io.proteus.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
    return builder().build();
  }

  /** A request for this image with the engine's defaults for everything else. */
  public static ContainerRequest image(String image) {
    return builder().image(image).build();
  }

  /** A builder for a request that starts as {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this request, to change some fields and keep the others. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.image = image;
    b.dockerfile = dockerfile;
    b.network = network;
    b.memoryBytes = memoryBytes;
    b.cpus = cpus;
    b.pids = pids;
    b.user = user;
    b.privileged = privileged;
    b.caches.addAll(caches);
    b.services.addAll(services);
    return b;
  }

  /** This request with a memory limit; everything else, caches and services included, is kept. */
  public ContainerRequest withMemory(long bytes) {
    return new ContainerRequest(
        image,
        dockerfile,
        network,
        Optional.of(bytes),
        cpus,
        pids,
        user,
        privileged,
        caches,
        services);
  }

  /** This request with or without a network; everything else is kept. */
  public ContainerRequest withNetwork(boolean wanted) {
    return new ContainerRequest(
        image, dockerfile, wanted, memoryBytes, cpus, pids, user, privileged, caches, services);
  }

  /** This request asking for privileged mode. */
  public ContainerRequest asPrivileged() {
    return new ContainerRequest(
        image, dockerfile, network, memoryBytes, cpus, pids, user, true, caches, services);
  }

  /** This request with a sidecar service. */
  public ContainerRequest withService(ServiceRequest service) {
    List<ServiceRequest> more = new ArrayList<>(services);
    more.add(service);
    return new ContainerRequest(
        image, dockerfile, network, memoryBytes, cpus, pids, user, privileged, caches, more);
  }

  /** This request with a cache mounted. */
  public ContainerRequest withCache(CacheMount cache) {
    List<CacheMount> more = new ArrayList<>(caches);
    more.add(cache);
    return new ContainerRequest(
        image, dockerfile, network, memoryBytes, cpus, pids, user, privileged, more, services);
  }

  /**
   * Builds a {@link ContainerRequest} field by field. Not thread-safe; {@link #build()} checks the
   * values.
   */
  public static final class Builder {
    private Optional<String> image = Optional.empty();
    private Optional<String> dockerfile = Optional.empty();
    private boolean network;
    private Optional<Long> memoryBytes = Optional.empty();
    private Optional<Double> cpus = Optional.empty();
    private Optional<Long> pids = Optional.empty();
    private Optional<String> user = Optional.empty();
    private boolean privileged;
    private final List<CacheMount> caches = new ArrayList<>();
    private final List<ServiceRequest> services = new ArrayList<>();

    private Builder() {}

    /** The image to run, by name (and tag or digest). */
    public Builder image(String value) {
      return image(Optional.of(value));
    }

    /** The image to run, or none for the engine's default. */
    public Builder image(Optional<String> value) {
      this.image = value;
      return this;
    }

    /** A Dockerfile in the build to build the image from, relative to the build's root. */
    public Builder dockerfile(String value) {
      return dockerfile(Optional.of(value));
    }

    /** A Dockerfile to build the image from, or none. */
    public Builder dockerfile(Optional<String> value) {
      this.dockerfile = value;
      return this;
    }

    /** Whether the task needs a network. */
    public Builder network(boolean value) {
      this.network = value;
      return this;
    }

    /** A memory limit in bytes; positive. */
    public Builder memoryBytes(long value) {
      return memoryBytes(Optional.of(value));
    }

    /** A memory limit in bytes, or none for the engine's default. */
    public Builder memoryBytes(Optional<Long> value) {
      this.memoryBytes = value;
      return this;
    }

    /** A CPU limit in cores; positive. */
    public Builder cpus(double value) {
      return cpus(Optional.of(value));
    }

    /** A CPU limit in cores, or none for the engine's default. */
    public Builder cpus(Optional<Double> value) {
      this.cpus = value;
      return this;
    }

    /** A process-count limit; at least 1. */
    public Builder pids(long value) {
      return pids(Optional.of(value));
    }

    /** A process-count limit, or none for the engine's default. */
    public Builder pids(Optional<Long> value) {
      this.pids = value;
      return this;
    }

    /** The user to run as. */
    public Builder user(String value) {
      return user(Optional.of(value));
    }

    /** The user to run as, or none for the engine's default. */
    public Builder user(Optional<String> value) {
      this.user = value;
      return this;
    }

    /** Whether the task asks for privileged mode. */
    public Builder privileged(boolean value) {
      this.privileged = value;
      return this;
    }

    /** The cache folders to mount, replacing any added before. */
    public Builder caches(List<CacheMount> value) {
      caches.clear();
      caches.addAll(value);
      return this;
    }

    /** One more cache folder to mount. */
    public Builder addCache(CacheMount value) {
      caches.add(value);
      return this;
    }

    /** The sidecars, replacing any added before. */
    public Builder services(List<ServiceRequest> value) {
      services.clear();
      services.addAll(value);
      return this;
    }

    /** One more sidecar. */
    public Builder addService(ServiceRequest value) {
      services.add(value);
      return this;
    }

    /**
     * The request.
     *
     * @throws IllegalArgumentException when both an image and a Dockerfile are given, a limit is
     *     not positive, or two services share a name
     */
    public ContainerRequest build() {
      if (image.isPresent() && dockerfile.isPresent()) {
        throw new IllegalArgumentException("give an image or a dockerfile, not both");
      }
      if (image.isPresent() && image.get().isBlank()) {
        throw new IllegalArgumentException("the image must not be blank");
      }
      if (memoryBytes.isPresent() && memoryBytes.get() <= 0) {
        throw new IllegalArgumentException("a memory limit must be positive: " + memoryBytes.get());
      }
      if (cpus.isPresent() && !(cpus.get() > 0 && Double.isFinite(cpus.get()))) {
        throw new IllegalArgumentException("a CPU limit must be positive: " + cpus.get());
      }
      if (pids.isPresent() && pids.get() < 1) {
        throw new IllegalArgumentException("a process limit must be at least 1: " + pids.get());
      }
      Set<String> names = new HashSet<>();
      for (ServiceRequest s : services) {
        if (!names.add(s.name())) {
          throw new IllegalArgumentException("two services are named '" + s.name() + "'");
        }
      }
      return new ContainerRequest(
          image, dockerfile, network, memoryBytes, cpus, pids, user, privileged, caches, services);
    }
  }
}
