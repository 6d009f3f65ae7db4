package io.proteus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.bench.jmh.FileStoreBench;
import io.proteus.bench.jmh.PlanReaderBench;
import io.proteus.bench.jmh.ResultFilesBench;
import io.proteus.bench.jmh.RouterBench;
import io.proteus.bench.jmh.SnapshotBench;
import io.proteus.bench.jmh.UnpackBench;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every JMH benchmark once, in this JVM, at tiny sizes, so that none rots; it checks each
 * produced a score, never what the score is.
 */
class BenchmarksSmokeTest {

  static Stream<Arguments> benchmarks() {
    return Stream.of(
        Arguments.of(PlanReaderBench.class, Map.of("tests", "20"), 1),
        Arguments.of(RouterBench.class, Map.of("queued", "5", "idle", "10"), 1),
        Arguments.of(SnapshotBench.class, Map.of("tasks", "50"), 2),
        Arguments.of(ResultFilesBench.class, Map.of("cases", "10"), 2),
        Arguments.of(UnpackBench.class, Map.of("bytes", "65536", "files", "20"), 2),
        Arguments.of(FileStoreBench.class, Map.of("jobsPerBatch", "1", "stored", "50"), 2));
  }

  @ParameterizedTest
  @MethodSource("benchmarks")
  void eachBenchmarkProducesAScore(Class<?> type, Map<String, String> params, int methods)
      throws Exception {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(type.getName() + "\\.")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT);
    params.forEach(options::param);

    Collection<RunResult> results = new Runner(options.build()).run();

    assertThat(results).hasSize(methods);
    for (RunResult r : results) {
      assertThat(r.getPrimaryResult().getScore()).as(r.getParams().getBenchmark()).isPositive();
      assertThat(r.getPrimaryResult().getSampleCount()).isPositive();
    }
  }
}
