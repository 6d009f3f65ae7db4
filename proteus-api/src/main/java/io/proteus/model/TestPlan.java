package io.proteus.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

  /** The build identifier a plan has when its file names none. */
  public static final String UNKNOWN_BUILD = "unknown";

  /** The pool a plan runs in when its file names none. */
  public static final String DEFAULT_POOL = "default";

  /** Copies the lists so the plan cannot change afterwards. */
  public TestPlan {
    platforms = List.copyOf(platforms);
    tests = List.copyOf(tests);
  }

  /**
   * A builder for the plan {@code name}, with build {@value #UNKNOWN_BUILD}, pool {@value
   * #DEFAULT_POOL}, no topic, and no platforms or tests yet.
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder that starts from this plan, to change some fields and keep the others. */
  public Builder toBuilder() {
    return new Builder(name).build(build).platforms(platforms).pool(pool).topic(topic).tests(tests);
  }

  /**
   * Builds a {@link TestPlan} field by field. Not thread-safe; {@link #build()} checks what a plan
   * file must hold.
   */
  public static final class Builder {
    private String name;
    private String build = UNKNOWN_BUILD;
    private final List<String> platforms = new ArrayList<>();
    private String pool = DEFAULT_POOL;
    private Optional<String> topic = Optional.empty();
    private final List<TestSpec> tests = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /** The plan's name. */
    public Builder name(String value) {
      this.name = value;
      return this;
    }

    /** The build's identifier. */
    public Builder build(String value) {
      this.build = value;
      return this;
    }

    /** The platforms, replacing any given before. */
    public Builder platforms(List<String> value) {
      platforms.clear();
      platforms.addAll(value);
      return this;
    }

    /** The platforms, replacing any given before. */
    public Builder platforms(String... value) {
      return platforms(List.of(value));
    }

    /** The pool whose workers run the tasks. */
    public Builder pool(String value) {
      this.pool = value;
      return this;
    }

    /** The plan's topic. */
    public Builder topic(String value) {
      return topic(Optional.of(value));
    }

    /** The plan's topic, or none. */
    public Builder topic(Optional<String> value) {
      this.topic = value;
      return this;
    }

    /** The tests, replacing any given before. */
    public Builder tests(List<TestSpec> value) {
      tests.clear();
      tests.addAll(value);
      return this;
    }

    /** One more test. */
    public Builder addTest(TestSpec value) {
      tests.add(value);
      return this;
    }

    /**
     * The plan.
     *
     * @throws IllegalArgumentException when the name, build or pool is blank, there is no platform
     *     or no test, a platform is listed twice or two tests share a name
     */
    public TestPlan build() {
      if (name.isBlank()) {
        throw new IllegalArgumentException("a plan needs a name that is not blank");
      }
      if (build.isBlank() || pool.isBlank()) {
        throw new IllegalArgumentException("the plan '" + name + "' has a blank build or pool");
      }
      if (platforms.isEmpty()) {
        throw new IllegalArgumentException("the plan '" + name + "' needs at least one platform");
      }
      if (new HashSet<>(platforms).size() != platforms.size()) {
        throw new IllegalArgumentException("the plan '" + name + "' lists a platform twice");
      }
      if (tests.isEmpty()) {
        throw new IllegalArgumentException("the plan '" + name + "' needs at least one test");
      }
      Set<String> names = new HashSet<>();
      for (TestSpec t : tests) {
        if (!names.add(t.name())) {
          throw new IllegalArgumentException(
              "the plan '" + name + "' has two tests named '" + t.name() + "'");
        }
      }
      return new TestPlan(name, build, platforms, pool, topic, tests);
    }
  }
}
