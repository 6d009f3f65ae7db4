package io.proteus.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.proteus.core.store.RunRef;
import io.proteus.model.AttemptRecord;
import io.proteus.model.ContainerRequest;
import io.proteus.model.JobResult;
import io.proteus.model.TaskResult;
import io.proteus.model.TestCaseResult;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.spi.StoreBatch.TaskLease;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StoreJsonTest {
  private static final long SEED = 20261203L;

  private static JobFile file(RandomJobs r, JobResult job) {
    TreeMap<Integer, TaskLease> leases = new TreeMap<>();
    for (int i = 0; i < job.tasks().size(); i++) {
      leases.put(i, new TaskLease(i, r.maybe(() -> r.random().nextLong()), r.names()));
    }
    return new JobFile(
        r.random().nextInt(1000),
        1 + r.random().nextInt(1000),
        new RunRef(UUID.randomUUID(), r.text(), Instant.ofEpochSecond(1_700_000_000L, 5)),
        r.maybe(() -> Path.of("/builds", "b" + r.random().nextInt(100))),
        leases,
        job);
  }

  @Test
  void randomJobsReadBackEqual() throws Exception {
    for (int round = 0; round < 300; round++) {
      long seed = SEED + round;
      RandomJobs r = new RandomJobs(seed, round % 5 == 0);
      JobFile jf = file(r, r.job());
      byte[] bytes = StoreJson.bytes(jf.toJson());
      assertThat(JobFile.read(bytesOk(bytes))).as("seed %d", seed).isEqualTo(jf);
    }
  }

  private static byte[] bytesOk(byte[] bytes) {
    for (byte b : bytes) {
      assertThat(b)
          .as("every byte is ASCII, no control character")
          .isBetween((byte) 0x20, (byte) 0x7f);
    }
    return bytes;
  }

  @Test
  void everyRecordComponentHasAFieldOfItsName() throws Exception {
    JobResult job = new RandomJobs(SEED, true).job();
    JsonNode j =
        StoreJson.MAPPER
            .readTree(StoreJson.bytes(file(new RandomJobs(1, true), job).toJson()))
            .get("job");
    assertFields(JobResult.class, j);
    assertFields(TestPlan.class, j.get("plan"));
    JsonNode test = j.get("plan").get("tests").get(0);
    assertFields(TestSpec.class, test);
    assertFields(ContainerRequest.class, test.get("container"));
    JsonNode task = j.get("tasks").get(0);
    assertFields(TaskResult.class, task, "id");
    assertThat(task.has("index")).isTrue();
    assertFields(AttemptRecord.class, task.get("attempts").get(0));
    assertFields(TestCaseResult.class, task.get("cases").get(0));
  }

  private static void assertFields(Class<?> type, JsonNode node, String... storedElsewhere) {
    for (var c : type.getRecordComponents()) {
      if (Arrays.asList(storedElsewhere).contains(c.getName())) {
        continue;
      }
      assertThat(node.has(c.getName()))
          .as(
              "%s.%s is stored (a new field needs its place in the store's JSON)",
              type.getSimpleName(), c.getName())
          .isTrue();
    }
  }

  @Test
  void aWrongFormatVersionIsRefused() {
    JobFile jf = file(new RandomJobs(SEED, false), new RandomJobs(SEED, false).job());
    var o = jf.toJson();
    o.put("format", 99);
    assertThatThrownBy(() -> JobFile.read(StoreJson.bytes(o)))
        .isInstanceOf(BadFileException.class)
        .hasMessageContaining("format version 99");
  }

  @Test
  void halfAFileIsRefused() {
    RandomJobs r = new RandomJobs(SEED, true);
    byte[] bytes = StoreJson.bytes(file(r, r.job()).toJson());
    byte[] half = Arrays.copyOf(bytes, bytes.length / 2);
    assertThatThrownBy(() -> JobFile.read(half))
        .isInstanceOf(BadFileException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> JobFile.read("{\"format\":1}".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(BadFileException.class)
        .hasMessageContaining("is missing");
    assertThatThrownBy(() -> JobFile.read(new byte[0])).isInstanceOf(BadFileException.class);
  }

  @Test
  void fileNamesAreSafeDistinctAndReadableWhenTheyCanBe() {
    assertThat(FileNames.of("build-1.plan_linux-1a2b")).isEqualTo("build-1.plan_linux-1a2b");
    assertThat(FileNames.of("Build-1"))
        .startsWith("Build-1~")
        .isNotEqualTo(FileNames.of("build-1"));
    assertThat(FileNames.of("BUILD-1")).isNotEqualToIgnoringCase(FileNames.of("Build-1"));
    RandomJobs r = new RandomJobs(SEED, false);
    java.util.Set<String> names = new java.util.HashSet<>();
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (String id :
        new String[] {
          "..", ".", "../x", "a/b", "a\\b", "", ".hidden", "x".repeat(500), "nul\u0000", "con"
        }) {
      ids.add(id);
      names.add(FileNames.of(id).toLowerCase(java.util.Locale.ROOT));
      assertSafe(FileNames.of(id));
    }
    for (int i = 0; i < 500; i++) {
      String id = r.text();
      if (ids.add(id)) {
        String n = FileNames.of(id);
        assertSafe(n);
        assertThat(names.add(n.toLowerCase(java.util.Locale.ROOT)))
            .as("a name of its own for %s", id)
            .isTrue();
      }
    }
  }

  private static void assertSafe(String name) {
    assertThat(name)
        .matches("[A-Za-z0-9~][A-Za-z0-9._~-]*")
        .hasSizeLessThanOrEqualTo(FileNames.MAX_PLAIN + 9);
    assertThat(Path.of("/store/pending").resolve(name).normalize().getParent())
        .isEqualTo(Path.of("/store/pending"));
  }
}
