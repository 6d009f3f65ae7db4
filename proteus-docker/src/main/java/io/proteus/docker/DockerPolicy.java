package io.proteus.docker;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the Docker engine may run, and with what limits. A task that asks for more (an image not
 * allowed, a runtime mode not allowed, a network, privileged mode, limits above the maximum) is
 * refused before anything starts. Privileged mode is never allowed. Make one with {@link
 * #builder()}.
 *
 * @param allowedImages images that may run; an image must match one
 * @param modes how images may be obtained
 * @param defaultImage the image for tasks that name none
 * @param allowNetwork whether tasks may ask for a network (they get none otherwise)
 * @param defaultMemoryBytes the memory limit of tasks that set none
 * @param maxMemoryBytes the most memory a task may ask for
 * @param defaultCpus the CPU limit of tasks that set none
 * @param maxCpus the most CPUs a task may ask for
 * @param defaultPids the process-count limit of tasks that set none
 * @param maxPids the most processes a task may ask for
 * @param defaultUser the user tasks run as when they name none ({@code uid} or {@code uid:gid});
 *     absent for the image's
 * @param credentials registry credentials for pulls, by registry host
 */
public record DockerPolicy(
    List<ImagePattern> allowedImages,
    Set<RuntimeMode> modes,
    Optional<String> defaultImage,
    boolean allowNetwork,
    long defaultMemoryBytes,
    long maxMemoryBytes,
    double defaultCpus,
    double maxCpus,
    long defaultPids,
    long maxPids,
    Optional<String> defaultUser,
    Map<String, RegistryCredentials> credentials) {

  /** Copies the collections and checks the limits. */
  public DockerPolicy {
    allowedImages = List.copyOf(allowedImages);
    modes = Set.copyOf(modes);
    credentials = Map.copyOf(credentials);
    if (defaultMemoryBytes > maxMemoryBytes || defaultCpus > maxCpus || defaultPids > maxPids) {
      throw new IllegalArgumentException("a default limit is above its maximum");
    }
    if (defaultMemoryBytes < 6L << 20 || !(defaultCpus >= 0.01) || defaultPids < 1) {
      throw new IllegalArgumentException(
          "limits must be positive (memory at least 6 MiB, CPUs at least 0.01)");
    }
  }

  /**
   * A builder: no image allowed, present images only, no network, 512 MiB, 1 CPU, 256 processes.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link DockerPolicy}. */
  public static final class Builder {
    private final List<ImagePattern> images = new ArrayList<>();
    private final Set<RuntimeMode> modes = EnumSet.of(RuntimeMode.PRESENT);
    private Optional<String> defaultImage = Optional.empty();
    private boolean allowNetwork;
    private long defaultMemory = 512L << 20;
    private long maxMemory = 2L << 30;
    private double defaultCpus = 1;
    private double maxCpus = 2;
    private long defaultPids = 256;
    private long maxPids = 1024;
    private Optional<String> defaultUser = Optional.empty();
    private final Map<String, RegistryCredentials> credentials = new LinkedHashMap<>();

    private Builder() {}

    /** Allows images matching these patterns (see {@link ImagePattern}). */
    public Builder allowImages(String... patterns) {
      for (String p : patterns) {
        images.add(new ImagePattern(p));
      }
      return this;
    }

    /** The runtime modes allowed, replacing the default ({@code PRESENT}). */
    public Builder modes(RuntimeMode... allowed) {
      modes.clear();
      modes.addAll(List.of(allowed));
      return this;
    }

    /** The image of tasks that name none. */
    public Builder defaultImage(String image) {
      this.defaultImage = Optional.of(image);
      return this;
    }

    /** Lets tasks ask for a network. */
    public Builder allowNetwork(boolean allow) {
      this.allowNetwork = allow;
      return this;
    }

    /** Default and maximum memory per task. */
    public Builder memory(long defaultBytes, long maxBytes) {
      this.defaultMemory = defaultBytes;
      this.maxMemory = maxBytes;
      return this;
    }

    /** Default and maximum CPUs per task. */
    public Builder cpus(double defaultCores, double maxCores) {
      this.defaultCpus = defaultCores;
      this.maxCpus = maxCores;
      return this;
    }

    /** Default and maximum process count per task. */
    public Builder pids(long defaultCount, long maxCount) {
      this.defaultPids = defaultCount;
      this.maxPids = maxCount;
      return this;
    }

    /**
     * Runs tasks as this user unless they name one: numeric, {@code uid} or {@code uid:gid} (for
     * example {@code 1000:1000}), so the engine can give it the workspace.
     */
    public Builder defaultUser(String user) {
      this.defaultUser = Optional.of(user);
      return this;
    }

    /** Credentials for pulls from one registry. */
    public Builder credentials(RegistryCredentials value) {
      credentials.put(value.registry(), value);
      return this;
    }

    /** Makes the policy. */
    public DockerPolicy build() {
      return new DockerPolicy(
          images,
          modes,
          defaultImage,
          allowNetwork,
          defaultMemory,
          maxMemory,
          defaultCpus,
          maxCpus,
          defaultPids,
          maxPids,
          defaultUser,
          credentials);
    }
  }
}
