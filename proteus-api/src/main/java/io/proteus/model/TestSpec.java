package io.proteus.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One test of a plan: the binary to stage, the scenario that drives it and the test cases that must
 * report. The fields from {@code timeout} on are Proteus's extensions to the original format.
 *
 * @param name the test's name, unique in its plan
 * @param binary the path of the binary, relative to the build's root
 * @param scenario the path of a script that drives the test, relative to the build's root; absent
 *     when the binary runs by itself
 * @param expectations the names of the test cases that must report; one that never reports counts
 *     as skipped and fails the task
 * @param metadata free-form values handed to the scenario as a JSON file and environment variables
 * @param timeout how long one attempt may run before it is killed; absent for the core's default
 * @param tags tags a worker must have to run this test
 * @param resources resource names this test holds exclusively while it runs
 * @param environment extra environment variables for the scenario
 * @param arguments extra arguments for the scenario or binary
 * @param topic an optional topic that overrides the plan's
 * @param container what a container engine should run it in (image, limits, network)
 * @param queueTimeout how long the task may wait in the queue for a worker to take it (counted
 *     afresh each time it is queued) before it ends without running; absent for the core's default
 * @param noOutputTimeout how long an attempt may print nothing, on stdout or stderr, before it is
 *     stopped as timed out; absent for the core's default
 * @param cancelGrace how long a stopped attempt gets to end by itself after the polite stop
 *     (SIGTERM) before it is killed; absent for the core's default
 */
public record TestSpec(
    String name,
    String binary,
    Optional<String> scenario,
    List<String> expectations,
    Map<String, Object> metadata,
    Optional<Duration> timeout,
    Set<String> tags,
    Set<String> resources,
    Map<String, String> environment,
    List<String> arguments,
    Optional<String> topic,
    Optional<ContainerRequest> container,
    Optional<Duration> queueTimeout,
    Optional<Duration> noOutputTimeout,
    Optional<Duration> cancelGrace) {

  /** Copies the collections so the test cannot change afterwards. */
  public TestSpec {
    expectations = List.copyOf(expectations);
    metadata = Map.copyOf(metadata);
    tags = Set.copyOf(tags);
    resources = Set.copyOf(resources);
    environment = Map.copyOf(environment);
    arguments = List.copyOf(arguments);
  }

  /** A test without the queue, no-output and cancel-grace settings: the core's defaults apply. */
  public TestSpec(
      String name,
      String binary,
      Optional<String> scenario,
      List<String> expectations,
      Map<String, Object> metadata,
      Optional<Duration> timeout,
      Set<String> tags,
      Set<String> resources,
      Map<String, String> environment,
      List<String> arguments,
      Optional<String> topic,
      Optional<ContainerRequest> container) {
    this(
        name,
        binary,
        scenario,
        expectations,
        metadata,
        timeout,
        tags,
        resources,
        environment,
        arguments,
        topic,
        container,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** A test with only the original format's fields, for tests and simple embeddings. */
  public static TestSpec of(
      String name, String binary, Optional<String> scenario, List<String> expectations) {
    return new Builder(name, binary).scenario(scenario).expectations(expectations).build();
  }

  /**
   * A builder for a test named {@code name} that stages {@code binary}; every other field starts
   * empty, as {@link #of} leaves it.
   */
  public static Builder builder(String name, String binary) {
    return new Builder(name, binary);
  }

  /** A builder that starts from this test, to change some fields and keep the others. */
  public Builder toBuilder() {
    return new Builder(name, binary)
        .scenario(scenario)
        .expectations(expectations)
        .metadata(metadata)
        .timeout(timeout)
        .tags(tags)
        .resources(resources)
        .environment(environment)
        .arguments(arguments)
        .topic(topic)
        .container(container)
        .queueTimeout(queueTimeout)
        .noOutputTimeout(noOutputTimeout)
        .cancelGrace(cancelGrace);
  }

  /** This test with another timeout. */
  public TestSpec withTimeout(Duration newTimeout) {
    return toBuilder().timeout(newTimeout).build();
  }

  /** This test run in a container as {@code request} asks. */
  public TestSpec withContainer(ContainerRequest request) {
    return toBuilder().container(request).build();
  }

  /** This test with other required tags and resources. */
  public TestSpec withTagsAndResources(Set<String> newTags, Set<String> newResources) {
    return toBuilder().tags(newTags).resources(newResources).build();
  }

  /**
   * Builds a {@link TestSpec} field by field, so callers name what they set instead of passing
   * twelve values by position. {@link #build()} checks the values; a builder can be reused.
   */
  public static final class Builder {
    private String name;
    private String binary;
    private Optional<String> scenario = Optional.empty();
    private List<String> expectations = List.of();
    private Map<String, Object> metadata = Map.of();
    private Optional<Duration> timeout = Optional.empty();
    private Set<String> tags = Set.of();
    private Set<String> resources = Set.of();
    private Map<String, String> environment = Map.of();
    private List<String> arguments = List.of();
    private Optional<String> topic = Optional.empty();
    private Optional<ContainerRequest> container = Optional.empty();
    private Optional<Duration> queueTimeout = Optional.empty();
    private Optional<Duration> noOutputTimeout = Optional.empty();
    private Optional<Duration> cancelGrace = Optional.empty();

    private Builder(String name, String binary) {
      this.name = name;
      this.binary = binary;
    }

    /** Sets the test's name, unique in its plan. */
    public Builder name(String value) {
      this.name = value;
      return this;
    }

    /** Sets the binary's path, relative to the build's root. */
    public Builder binary(String value) {
      this.binary = value;
      return this;
    }

    /** Sets the scenario script's path, relative to the build's root. */
    public Builder scenario(String value) {
      this.scenario = Optional.of(value);
      return this;
    }

    /** Sets or clears the scenario. */
    public Builder scenario(Optional<String> value) {
      this.scenario = value;
      return this;
    }

    /** Sets the names of the test cases that must report. */
    public Builder expectations(List<String> value) {
      this.expectations = List.copyOf(value);
      return this;
    }

    /** Sets the free-form values handed to the scenario. */
    public Builder metadata(Map<String, Object> value) {
      this.metadata = Map.copyOf(value);
      return this;
    }

    /** Sets how long one attempt may run. */
    public Builder timeout(Duration value) {
      this.timeout = Optional.of(value);
      return this;
    }

    /** Sets or clears the timeout (absent for the core's default). */
    public Builder timeout(Optional<Duration> value) {
      this.timeout = value;
      return this;
    }

    /** Sets the tags a worker must have. */
    public Builder tags(Set<String> value) {
      this.tags = Set.copyOf(value);
      return this;
    }

    /** Sets the resources held exclusively while the test runs. */
    public Builder resources(Set<String> value) {
      this.resources = Set.copyOf(value);
      return this;
    }

    /** Sets the extra environment variables for the scenario. */
    public Builder environment(Map<String, String> value) {
      this.environment = Map.copyOf(value);
      return this;
    }

    /** Sets the extra arguments for the scenario or binary. */
    public Builder arguments(List<String> value) {
      this.arguments = List.copyOf(value);
      return this;
    }

    /** Sets the topic that overrides the plan's. */
    public Builder topic(String value) {
      this.topic = Optional.of(value);
      return this;
    }

    /** Sets or clears the topic. */
    public Builder topic(Optional<String> value) {
      this.topic = value;
      return this;
    }

    /** Sets what a container engine should run the test in. */
    public Builder container(ContainerRequest value) {
      this.container = Optional.of(value);
      return this;
    }

    /** Sets or clears the container request. */
    public Builder container(Optional<ContainerRequest> value) {
      this.container = value;
      return this;
    }

    /** Sets or clears how long the task may wait in the queue (absent for the core's default). */
    public Builder queueTimeout(Optional<Duration> value) {
      this.queueTimeout = value;
      return this;
    }

    /** Sets or clears how long an attempt may print nothing (absent for the core's default). */
    public Builder noOutputTimeout(Optional<Duration> value) {
      this.noOutputTimeout = value;
      return this;
    }

    /**
     * Sets or clears how long a stopped attempt gets between the polite stop and the kill (absent
     * for the core's default).
     */
    public Builder cancelGrace(Optional<Duration> value) {
      this.cancelGrace = value;
      return this;
    }

    /**
     * The test.
     *
     * @throws IllegalArgumentException if the name or binary is blank, a timeout is not positive,
     *     or the cancel grace is negative
     */
    public TestSpec build() {
      if (name.isBlank()) {
        throw new IllegalArgumentException("a test needs a name");
      }
      if (binary.isBlank()) {
        throw new IllegalArgumentException("test '" + name + "' needs a binary");
      }
      positive("timeout", timeout);
      positive("queue timeout", queueTimeout);
      positive("no-output timeout", noOutputTimeout);
      if (cancelGrace.isPresent() && cancelGrace.get().isNegative()) {
        throw new IllegalArgumentException(
            "test '" + name + "' has a negative cancel grace: " + cancelGrace.get());
      }
      return new TestSpec(
          name,
          binary,
          scenario,
          expectations,
          metadata,
          timeout,
          tags,
          resources,
          environment,
          arguments,
          topic,
          container,
          queueTimeout,
          noOutputTimeout,
          cancelGrace);
    }

    private void positive(String what, Optional<Duration> value) {
      if (value.isPresent() && (value.get().isNegative() || value.get().isZero())) {
        throw new IllegalArgumentException(
            "test '" + name + "' has a " + what + " that is not positive: " + value.get());
      }
    }
  }
}
