package io.proteus.model;

import java.util.List;
import java.util.Optional;

/**
 * One test plan from a build's {@code tests.json}: what to test, on which platforms, in which pool.
 * Proteus makes one job per platform.
 *
 * @param name the plan's name
 * @param build the build's identifier (a version, a commit)
 * @param platforms the platforms to run on; at least one
 * @param pool the pool whose workers run the tasks
 * @param topic an optional topic; workers scoped to it get this plan's work first
 * @param tests the tests; at least one
 */
public record TestPlan(
    String name,
    String build,
    List<String> platforms,
    String pool,
    Optional<String> topic,
    List<TestSpec> tests) {

  /** Copies the lists so the plan cannot change afterwards. */
  public TestPlan {
    platforms = List.copyOf(platforms);
    tests = List.copyOf(tests);
  }
}
