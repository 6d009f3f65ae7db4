package io.proteus.core.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proteus.core.ProteusCore;
import io.proteus.core.process.ProcessPlatform;
import io.proteus.core.worker.LocalWorker;
import io.proteus.model.JobStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderAdapterTest {
  @TempDir Path tmp;
  Path inbox;
  Path outbox;
  ProteusCore core;

  @BeforeEach
  void setUp() throws IOException {
    inbox = Files.createDirectories(tmp.resolve("inbox"));
    outbox = tmp.resolve("outbox");
  }

  @AfterEach
  void tearDown() {
    if (core != null) {
      core.stop(Duration.ofSeconds(5));
    }
  }

  void startCore(long budget) {
    core =
        ProteusCore.builder()
            .adapter(new FolderAdapter("folder", inbox, outbox))
            .worker(
                LocalWorker.builder("w1", new ProcessPlatform("linux", tmp.resolve("caches")))
                    .workRoot(tmp.resolve("work"))
                    .build())
            .storage(tmp.resolve("storage"), budget)
            .pollInterval(Duration.ofMillis(100))
            .build()
            .start();
  }

  static void writeBuild(Path dir, String plan) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tests.json"), plan);
    Files.writeString(dir.resolve("ok.sh"), "#!/bin/sh\nexit 0\n");
    Files.writeString(dir.resolve("bad.sh"), "#!/bin/sh\nexit 1\n");
  }

  static final String PLAN =
      "{\"name\":\"p\",\"build\":\"1\",\"platforms\":[\"linux\"],\"tests\":[{\"name\":\"ok\",\"binary\":\"ok.sh\"},{\"name\":\"bad\",\"binary\":\"bad.sh\"}]}";

  @Test
  void aGoodBuildRunsAndItsReportsLandInTheOutbox() throws IOException {
    Path staging = tmp.resolve("staging/b1");
    writeBuild(staging, PLAN);
    startCore(1 << 30);
    Files.move(staging, inbox.resolve("b1"));
    Path summary = outbox.resolve("b1/p-linux.summary.json");
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(summary));
    JsonNode json = new ObjectMapper().readTree(summary.toFile());
    JsonNode tasks = json.path("jobs").get(0).path("tasks");
    assertThat(tasks.get(0).path("status").asText()).isEqualTo("PASSED");
    assertThat(tasks.get(1).path("status").asText()).isEqualTo("FAILED");
    assertThat(Files.readString(outbox.resolve("b1/p-linux.junit.xml")))
        .contains("<testsuite name=\"p on linux\"")
        .contains("classname=\"ok\"")
        .contains("classname=\"bad\"");
    assertThat(Files.readString(outbox.resolve("b1/p-linux.report.html")))
        .startsWith("<!DOCTYPE html>")
        .contains("<a href=\"#j0-t0\">PASSED</a>", "<a href=\"#j0-t1\">FAILED</a>")
        .contains("<details class=\"log\" id=\"j0-t1-a1\"><summary>Attempt 1 log · w1 · COMPLETED");
    assertThat(inbox.resolve(".accepted/b1")).isDirectory();
    await().atMost(Duration.ofSeconds(10)).until(() -> core.storageReserved() == 0);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !Files.exists(tmp.resolve("storage/adapters/folder/b1")));
  }

  @Test
  void aBadBuildGetsAnErrorReportAndTheCoreKeepsRunning() throws IOException {
    startCore(1 << 30);
    Path bad = tmp.resolve("staging/broken");
    writeBuild(bad, "{\"name\": \"p\", \"platforms\": 3, \"tests\": []}");
    Files.move(bad, inbox.resolve("broken"));
    Files.writeString(inbox.resolve("evil.zip"), "this is not a zip");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() ->
            Files.exists(outbox.resolve("broken/error.json"))
                && Files.exists(outbox.resolve("evil/error.json")));
    assertThat(Files.readString(outbox.resolve("broken/error.txt")))
        .contains("tests.json:1:")
        .contains("platforms");
    assertThat(inbox.resolve(".rejected/broken")).isDirectory();
    Path good = tmp.resolve("staging/good");
    writeBuild(good, PLAN);
    Files.move(good, inbox.resolve("good"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Files.exists(outbox.resolve("good/p-linux.summary.json")));
    assertThat(core.jobs()).allMatch(j -> j.status() == JobStatus.COMPLETED);
  }

  @Test
  void aBuildThatCouldNeverFitIsRefusedWithAReason() throws IOException {
    startCore(10);
    Path big = tmp.resolve("staging/big");
    writeBuild(big, PLAN);
    Files.move(big, inbox.resolve("big"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Files.exists(outbox.resolve("big/error.txt")));
    assertThat(Files.readString(outbox.resolve("big/error.txt")))
        .contains("storage budget is 10 bytes");
    Path stored = tmp.resolve("storage/adapters/folder");
    if (Files.exists(stored)) {
      try (Stream<Path> s = Files.list(stored)) {
        assertThat(s.toList()).isEmpty();
      }
    }
  }
}
