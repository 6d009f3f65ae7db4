package io.proteus.examples.adapter;

import static io.proteus.testkit.ProteusAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.JobResult;
import io.proteus.testkit.Behavior;
import io.proteus.testkit.ProteusTestEnvironment;
import io.proteus.testkit.ScriptedWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a host application unit-tests its own adapter: a fake of its CI server, a real core in the
 * testkit's environment, scripted workers, no threads, no real time.
 */
class CiServerAdapterTest {
  @TempDir Path tmp;

  static final class FakeCiServer implements CiServer {
    final List<CiBuild> queued = new ArrayList<>();
    final Map<String, List<JobResult>> results = new LinkedHashMap<>();
    final Map<String, String> errors = new LinkedHashMap<>();

    @Override
    public synchronized List<CiBuild> newBuilds() {
      List<CiBuild> out = List.copyOf(queued);
      queued.clear();
      return out;
    }

    @Override
    public synchronized void reportResults(String buildId, JobResult result) {
      results.computeIfAbsent(buildId, k -> new ArrayList<>()).add(result);
    }

    @Override
    public synchronized void reportError(String buildId, String message) {
      errors.put(buildId, message);
    }
  }

  static final String PLAN =
      """
      {"name": "firmware", "build": "7", "platforms": ["nrf52", "esp32"], "pool": "lab",
       "tests": [{"name": "boot", "binary": "fw.bin"}, {"name": "radio", "binary": "fw.bin"}]}
      """;

  @Test
  void buildsRunOnEveryPlatformAndResultsGoBackToTheServer() {
    FakeCiServer server = new FakeCiServer();
    server.queued.add(new CiServer.CiBuild("build-7", PLAN, tmp, 1000));
    try (var env = ProteusTestEnvironment.create(b -> b.adapter(new CiServerAdapter(server)))) {
      env.addWorkers(
          ScriptedWorker.of("nrf-1", "lab", "nrf52").otherwise(Behavior.die()),
          ScriptedWorker.of("nrf-2", "lab", "nrf52"),
          ScriptedWorker.of("esp-1", "lab", "esp32")
              .on("radio", Behavior.fail(Duration.ofSeconds(2), "tx-power")));
      env.advance(Duration.ofSeconds(5));
      env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(5));

      assertThat(server.results.get("build-7")).hasSize(2);
      JobResult nrf =
          server.results.get("build-7").stream()
              .filter(j -> j.platform().equals("nrf52"))
              .findFirst()
              .orElseThrow();
      JobResult esp =
          server.results.get("build-7").stream()
              .filter(j -> j.platform().equals("esp32"))
              .findFirst()
              .orElseThrow();
      assertThat(nrf).isCompleted().allPassed().task("boot").ranOn("nrf-1", "nrf-2");
      assertThat(esp).isCompleted().hasCounts(1, 1, 0, 0).task("radio").failed().hasAttempts(1);
    }
  }

  @Test
  void aBadPlanIsReportedToTheServerAndTheNextBuildStillRuns() {
    FakeCiServer server = new FakeCiServer();
    server.queued.add(
        new CiServer.CiBuild("broken", "{\"name\": \"x\", \"platforms\": 1}", tmp, 10));
    server.queued.add(
        new CiServer.CiBuild("good", PLAN.replace("\"esp32\"", "\"nrf52x\""), tmp, 10));
    try (var env = ProteusTestEnvironment.create(b -> b.adapter(new CiServerAdapter(server)))) {
      env.addWorkers(
          ScriptedWorker.of("nrf", "lab", "nrf52"), ScriptedWorker.of("nrfx", "lab", "nrf52x"));
      env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(5));
      assertThat(server.errors.get("broken"))
          .contains("broken/tests.json:1:")
          .contains("platforms");
      assertThat(server.results.get("good")).hasSize(2).allSatisfy(j -> assertThat(j).allPassed());
    }
  }

  @Test
  void aBuildThatDoesNotFitWaitsUntilStorageIsFree() {
    FakeCiServer server = new FakeCiServer();
    server.queued.add(new CiServer.CiBuild("first", PLAN, tmp, 700));
    server.queued.add(new CiServer.CiBuild("second", PLAN, tmp, 700));
    try (var env =
        ProteusTestEnvironment.create(b ->
            b.adapter(new CiServerAdapter(server))
                .storage(tmp.resolve("storage"), 1000)
                .pollInterval(Duration.ofSeconds(1)))) {
      env.addWorkers(
          ScriptedWorker.of("nrf", "lab", "nrf52"), ScriptedWorker.of("esp", "lab", "esp32"));
      env.advance(Duration.ofSeconds(1));
      assertThat(env.core().jobs()).extracting(JobResult::buildId).containsOnly("first");
      env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(5));
      env.advance(Duration.ofSeconds(2));
      env.advanceUntilDone(Duration.ofSeconds(1), Duration.ofMinutes(5));
      assertThat(server.results).containsKeys("first", "second");
    }
  }
}
