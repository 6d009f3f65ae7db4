package io.proteus.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One test of a plan: the binary to stage, the scenario that drives it and the test cases that must
 * report. The last six fields are Proteus's extensions to the original format.
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
    Optional<ContainerRequest> container) {

  /** Copies the collections so the test cannot change afterwards. */
  public TestSpec {
    expectations = List.copyOf(expectations);
    metadata = Map.copyOf(metadata);
    tags = Set.copyOf(tags);
    resources = Set.copyOf(resources);
    environment = Map.copyOf(environment);
    arguments = List.copyOf(arguments);
  }

  /** A test with only the original format's fields, for tests and simple embeddings. */
  public static TestSpec of(
      String name, String binary, Optional<String> scenario, List<String> expectations) {
    return new TestSpec(
        name,
        binary,
        scenario,
        expectations,
        Map.of(),
        Optional.empty(),
        Set.of(),
        Set.of(),
        Map.of(),
        List.of(),
        Optional.empty(),
        Optional.empty());
  }

  /** This test with another timeout. */
  public TestSpec withTimeout(Duration newTimeout) {
    return new TestSpec(
        name,
        binary,
        scenario,
        expectations,
        metadata,
        Optional.of(newTimeout),
        tags,
        resources,
        environment,
        arguments,
        topic,
        container);
  }

  /** This test run in a container as {@code request} asks. */
  public TestSpec withContainer(ContainerRequest request) {
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
        Optional.of(request));
  }

  /** This test with other required tags and resources. */
  public TestSpec withTagsAndResources(Set<String> newTags, Set<String> newResources) {
    return new TestSpec(
        name,
        binary,
        scenario,
        expectations,
        metadata,
        timeout,
        newTags,
        newResources,
        environment,
        arguments,
        topic,
        container);
  }
}
