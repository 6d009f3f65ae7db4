package io.proteus.bench.jmh;

import io.proteus.core.plan.PlanDocument;
import io.proteus.core.plan.PlanReader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Reading a tests.json of many tests, each with the usual optional fields. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PlanReaderBench {
  /** How many tests the plan holds. */
  @Param({"1000"})
  public int tests;

  private final PlanReader reader = new PlanReader();
  private String json = "";

  /** Writes the plan once. */
  @Setup
  public void setUp() {
    json = plan(tests);
  }

  /** Reads the whole plan. */
  @Benchmark
  public PlanDocument read() {
    return reader.read(json, "tests.json");
  }

  /** A plan of {@code tests} tests, every fifth with tags, resources and a container. */
  public static String plan(int tests) {
    StringBuilder b = new StringBuilder(tests * 200);
    b.append(
        "{\"name\":\"bench\",\"build\":\"1\",\"platforms\":[\"linux\"],\"pool\":\"ci\",\"tests\":[");
    for (int i = 0; i < tests; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"name\":\"test-").append(i).append("\",\"binary\":\"bin/t").append(i % 50);
      b.append("\",\"timeout\":\"90s\",\"arguments\":[\"--case\",\"").append(i).append("\"]");
      b.append(",\"environment\":{\"SEED\":\"").append(i).append("\"}");
      if (i % 5 == 0) {
        b.append(",\"tags\":[\"big\"],\"resources\":[\"db-").append(i % 3).append("\"]");
        b.append(",\"container\":{\"image\":\"busybox:1\",\"memory\":\"256m\",\"pids\":64}");
      }
      b.append('}');
    }
    return b.append("]}").toString();
  }
}
