package io.proteus.bench;

import io.proteus.model.Build;
import io.proteus.model.JobResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.Reservation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/** Builds of many tests for the scenarios, through the public model only. */
final class Builds {
  static final String POOL = "bench";

  private Builds() {}

  /**
   * One plan of {@code tests} tests on platform {@code linux}; {@code binary} names each binary.
   */
  static Build of(String id, int tests, IntFunction<String> binary, BuildFiles files) {
    List<TestSpec> specs = new ArrayList<>(tests);
    for (int i = 0; i < tests; i++) {
      specs.add(TestSpec.of("t" + i, binary.apply(i), Optional.empty(), List.of()));
    }
    TestPlan plan = new TestPlan("bench", id, List.of("linux"), POOL, Optional.empty(), specs);
    return new Build(id, List.of(plan), files, Reservation.NONE);
  }

  /** Tests whose binary no worker runs: for no-op workers. */
  static Build noop(String id, int tests) {
    return of(id, tests, i -> "bin/noop", BuildFiles.NONE);
  }

  /**
   * Empty when every task of {@code job} passed, else how many did and why the first other one did
   * not: a row's figure counts only with this note beside it.
   */
  static String failures(JobResult job) {
    long passed = job.count(TaskStatus.PASSED);
    if (passed == job.tasks().size()) {
      return "";
    }
    String first =
        job.tasks().stream()
            .filter(t -> t.status() != TaskStatus.PASSED)
            .findFirst()
            .map(t -> t.testName() + " " + t.status() + ": " + t.reason().orElse("no reason"))
            .orElse("");
    return " (only "
        + passed
        + " of "
        + job.tasks().size()
        + " passed; first other: "
        + first.replace('|', '/').replace('\n', ' ')
        + ")";
  }
}
