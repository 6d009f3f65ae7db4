package io.proteus.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.core.internal.store.RandomJobs;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.JobStatus;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.JobStore.JobList;
import io.proteus.spi.StoreBatch;
import io.proteus.spi.StoreResume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJobStoreTest {
  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  @TempDir Path temp;
  private final List<FileJobStore> opened = new ArrayList<>();

  private static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  private FileJobStore open(Path dir, Consumer<String> faults) {
    FileJobStore s =
        FileJobStore.builder(dir)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .coreId("core-a")
            .faults(faults)
            .open();
    opened.add(s);
    return s;
  }

  private FileJobStore open(Path dir) {
    return open(dir, step -> {});
  }

  private static StoreBatch batch(long token, JobResult... jobs) {
    List<StoreBatch.StoredJob> out = new ArrayList<>();
    for (JobResult j : jobs) {
      out.add(
          new StoreBatch.StoredJob(
              j,
              BuildFiles.NONE,
              List.of(new StoreBatch.TaskLease(0, Optional.of(token), Set.of())),
              j.status().isFinal()));
    }
    return new StoreBatch(out, token);
  }

  private static JobResult job(RandomJobs r, String id, JobStatus status) {
    return r.job(id, status);
  }

  private static void sameState(FileJobStore a, FileJobStore b) {
    for (JobList l : JobList.values()) {
      assertThat(b.list(l)).as(l.name()).isEqualTo(a.list(l));
    }
    assertThat(b.outbox()).isEqualTo(a.outbox());
  }

  @Test
  void aReopenedStoreHasTheSameStateAndRunReferences() {
    RandomJobs r = new RandomJobs(1, false);
    Path dir = temp.resolve("s");
    FileJobStore s = open(dir);
    s.write(batch(3, job(r, "a", JobStatus.PENDING), job(r, "b", JobStatus.COMPLETED)));
    s.write(batch(5, job(r, "a", JobStatus.ACTIVE)));
    RunRef ref = s.runRef(new JobId("a")).orElseThrow();
    s.close();
    FileJobStore again = open(dir);
    sameState(s, again);
    assertThat(again.runRef(new JobId("a"))).contains(ref);
    assertThat(again.resume().lastToken()).isEqualTo(5);
  }

  @Test
  void resumeRecordsTheNewCoresAdoption() throws Exception {
    RandomJobs r = new RandomJobs(2, false);
    Path dir = temp.resolve("s");
    FileJobStore s = open(dir);
    s.write(batch(1, job(r, "a", JobStatus.ACTIVE)));
    s.close();
    FileJobStore b =
        FileJobStore.builder(dir)
            .coreId("core-b")
            .clock(Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC))
            .open();
    opened.add(b);
    b.resume();
    assertThat(b.runRef(new JobId("a")).orElseThrow().adoptedBy()).isEqualTo("core-b");
    b.close();
    FileJobStore c = open(dir);
    RunRef ref = c.runRef(new JobId("a")).orElseThrow();
    assertThat(ref.adoptedBy()).isEqualTo("core-b");
    assertThat(ref.adoptedAt()).isEqualTo(NOW.plusSeconds(60));
    assertThat(Files.readString(dir.resolve("journal/_store.jsonl")))
        .contains("\"core\":\"core-b\"");
  }

  @Test
  void aCrashAfterTheBatchFileWasRenamedReplaysIt() {
    RandomJobs r = new RandomJobs(3, false);
    Path dir = temp.resolve("s");
    FileJobStore s =
        open(
            dir,
            step -> {
              if (step.equals("apply")) {
                throw new Crash();
              }
            });
    JobResult a = job(r, "a", JobStatus.COMPLETED);
    assertThatThrownBy(() -> s.write(batch(7, a))).isInstanceOf(Crash.class);
    assertThat(dir.resolve("batch.json")).exists();
    FileJobStore again = open(dir);
    assertThat(again.find(new JobId("a"))).contains(a);
    assertThat(again.outbox()).containsExactly(new JobId("a"));
    assertThat(again.resume().lastToken()).isGreaterThanOrEqualTo(7);
    assertThat(dir.resolve("batch.json")).doesNotExist();
  }

  @Test
  void aCrashHalfwayThroughApplyingReplaysWithoutASecondJournalLine() throws Exception {
    RandomJobs r = new RandomJobs(4, false);
    Path dir = temp.resolve("s");
    FileJobStore s =
        open(
            dir,
            step -> {
              if (step.equals("job")) {
                throw new Crash();
              }
            });
    assertThatThrownBy(
            () -> s.write(batch(2, job(r, "a", JobStatus.ACTIVE), job(r, "b", JobStatus.PENDING))))
        .isInstanceOf(Crash.class);
    FileJobStore again = open(dir);
    assertThat(again.list(JobList.ACTIVE)).extracting(j -> j.id().value()).containsExactly("a");
    assertThat(again.list(JobList.PENDING)).extracting(j -> j.id().value()).containsExactly("b");
    assertThat(Files.readAllLines(dir.resolve("journal/a.jsonl"))).hasSize(1);
    assertThat(Files.readAllLines(dir.resolve("journal/b.jsonl"))).hasSize(1);
  }

  @Test
  void aCrashBeforeTheRenameLosesOnlyThatBatch() throws Exception {
    RandomJobs r = new RandomJobs(5, false);
    Path dir = temp.resolve("s");
    boolean[] crash = {false};
    FileJobStore s =
        open(
            dir,
            step -> {
              if (crash[0] && step.equals("commit")) {
                throw new Crash();
              }
            });
    JobResult a = job(r, "a", JobStatus.PENDING);
    s.write(batch(1, a));
    crash[0] = true;
    assertThatThrownBy(
            () -> s.write(batch(2, job(r, "a", JobStatus.ACTIVE), job(r, "b", JobStatus.PENDING))))
        .isInstanceOf(Crash.class);
    Files.write(dir.resolve(".batch.json.tmp"), "{\"format\":1,\"jobs\":[".getBytes());
    FileJobStore again = open(dir);
    assertThat(again.list(JobList.PENDING)).containsExactly(a);
    assertThat(again.find(new JobId("b"))).isEmpty();
    assertThat(dir.resolve(".batch.json.tmp")).doesNotExist();
    try (Stream<Path> set = Files.list(dir.resolve("corrupt"))) {
      assertThat(set)
          .extracting(p -> p.getFileName().toString())
          .anyMatch(n -> n.startsWith(".batch.json.tmp"));
    }
  }

  @Test
  void corruptTruncatedAndWrongVersionFilesAreSetAsideAndTheRestLoads() throws Exception {
    RandomJobs r = new RandomJobs(6, true);
    Path dir = temp.resolve("s");
    FileJobStore s = open(dir);
    s.write(
        batch(
            1,
            job(r, "good", JobStatus.PENDING),
            job(r, "cut", JobStatus.PENDING),
            job(r, "old", JobStatus.ACTIVE)));
    s.close();
    Path cut = dir.resolve("pending/cut.json");
    byte[] bytes = Files.readAllBytes(cut);
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Path old = dir.resolve("active/old.json");
    Files.writeString(old, Files.readString(old).replace("{\"format\":1,", "{\"format\":2,"));
    Files.writeString(dir.resolve("pending/bad.json"), "not json at all");
    Files.writeString(dir.resolve("store.json"), "{");
    FileJobStore again = open(dir);
    assertThat(again.list(JobList.PENDING)).extracting(j -> j.id().value()).containsExactly("good");
    assertThat(again.list(JobList.ACTIVE)).isEmpty();
    assertThat(again.resume().lastToken()).as("the token from the job files").isPositive();
    try (Stream<Path> set = Files.list(dir.resolve("corrupt"))) {
      assertThat(set.map(p -> p.getFileName().toString()).toList())
          .anyMatch(n -> n.startsWith("pending_cut.json"))
          .anyMatch(n -> n.startsWith("active_old.json"))
          .anyMatch(n -> n.startsWith("pending_bad.json"))
          .anyMatch(n -> n.startsWith("store.json"));
    }
  }

  @Test
  void aFileOverTheCapIsSetAside() {
    RandomJobs r = new RandomJobs(7, true);
    Path dir = temp.resolve("s");
    FileJobStore s = open(dir);
    s.write(batch(1, job(r, "big", JobStatus.PENDING)));
    s.close();
    FileJobStore small = FileJobStore.builder(dir).maxFileBytes(1024).open();
    opened.add(small);
    assertThat(small.find(new JobId("big"))).isEmpty();
    assertThat(dir.resolve("corrupt")).isNotEmptyDirectory();
  }

  @Test
  void hostileIdsStayInsideTheFolderAndReadBack() throws Exception {
    RandomJobs r = new RandomJobs(8, false);
    Path dir = temp.resolve("s");
    FileJobStore s = open(dir);
    List<String> ids =
        List.of(
            "../../escape",
            "/abs",
            "a/b\\c",
            "..",
            ".",
            "",
            "Upper",
            "upper",
            "x".repeat(400),
            "nul\u0000",
            "lone\uD800");
    for (String id : ids) {
      s.write(batch(1, job(r, id, JobStatus.PENDING)));
    }
    s.close();
    FileJobStore again = open(dir);
    assertThat(again.list(JobList.PENDING))
        .extracting(j -> j.id().value())
        .containsExactlyElementsOf(ids);
    try (Stream<Path> all = Files.walk(temp)) {
      assertThat(all.filter(Files::isRegularFile)).allMatch(p -> p.startsWith(dir));
    }
    assertThat(dir.resolve("corrupt")).isEmptyDirectory();
  }

  @Test
  void archivedJobsPastTheRetentionAndOutOfTheOutboxArePruned() {
    RandomJobs r = new RandomJobs(9, false);
    Path dir = temp.resolve("s");
    FileJobStore s = open(dir);
    JobResult oldDone =
        withFinished(job(r, "old", JobStatus.COMPLETED), NOW.minus(Duration.ofDays(8)));
    JobResult oldWaiting =
        withFinished(job(r, "waiting", JobStatus.COMPLETED), NOW.minus(Duration.ofDays(8)));
    JobResult recent =
        withFinished(job(r, "recent", JobStatus.CANCELLED), NOW.minus(Duration.ofDays(6)));
    s.write(batch(1, oldDone, oldWaiting, recent));
    s.removeFromOutbox(new JobId("old"));
    s.removeFromOutbox(new JobId("recent"));
    s.close();
    FileJobStore again = open(dir);
    assertThat(again.list(JobList.ARCHIVE))
        .extracting(j -> j.id().value())
        .containsExactly("waiting", "recent");
    assertThat(dir.resolve("archive/old.json")).doesNotExist();
    assertThat(dir.resolve("journal/old.jsonl")).doesNotExist();
    assertThat(dir.resolve("journal/recent.jsonl")).exists();
  }

  private static JobResult withFinished(JobResult j, Instant at) {
    return new JobResult(
        j.id(),
        j.adapter(),
        j.buildId(),
        j.plan(),
        j.platform(),
        j.status(),
        j.tasks(),
        j.submitted(),
        Optional.of(at));
  }

  @Test
  void anotherProcessOrAnotherStoreTakesTheFolderFromThisOne() {
    Path dir = temp.resolve("s");
    FileJobStore first = open(dir);
    FileJobStore second = open(dir);
    assertThatThrownBy(() -> first.save(new RandomJobs(10, false).job("a", JobStatus.PENDING)))
        .isInstanceOf(StoreWriteException.class)
        .hasMessageContaining("another store took the folder over");
    second.save(new RandomJobs(10, false).job("a", JobStatus.PENDING));
    assertThat(second.find(new JobId("a"))).isPresent();
  }

  @Test
  void aFullDiskFailsTheWriteAndKeepsTheLastCompleteState() throws Exception {
    Path mount = temp.resolve("tmpfs");
    Files.createDirectories(mount);
    Process p =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString())
            .redirectErrorStream(true)
            .start();
    boolean mounted = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    if (!mounted) {
      String why =
          "cannot mount a tmpfs here: " + new String(p.getInputStream().readAllBytes()).trim();
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why);
      }
      Assumptions.abort(why);
    }
    try {
      RandomJobs r = new RandomJobs(11, false);
      Path dir = mount.resolve("s");
      FileJobStore s = open(dir);
      JobResult a = job(r, "a", JobStatus.PENDING);
      s.write(batch(1, a));
      Path filler = mount.resolve("filler");
      try (var out = Files.newOutputStream(filler)) {
        byte[] block = new byte[4096];
        while (true) {
          try {
            out.write(block);
            out.flush();
          } catch (java.io.IOException full) {
            break;
          }
        }
      } catch (java.io.IOException full) {
        // the close may fail too on a full disk
      }
      RandomJobs big = new RandomJobs(12, true);
      assertThatThrownBy(() ->
              s.write(batch(2, job(big, "a", JobStatus.ACTIVE), job(big, "b", JobStatus.PENDING))))
          .isInstanceOf(StoreWriteException.class)
          .hasMessageContaining("keeps its last complete state");
      assertThat(s.list(JobList.PENDING)).containsExactly(a);
      s.close();
      FileJobStore again = open(dir);
      assertThat(again.list(JobList.PENDING)).containsExactly(a);
      assertThat(again.find(new JobId("b"))).isEmpty();
      Files.delete(filler);
      again.write(batch(3, job(big, "b", JobStatus.PENDING)));
      assertThat(again.find(new JobId("b"))).isPresent();
      again.close();
    } finally {
      new ProcessBuilder("umount", mount.toString())
          .inheritIO()
          .start()
          .waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void randomBatchesMatchTheStoreInMemoryAfterEveryReopen() {
    long seed = 20261203L;
    RandomJobs r = new RandomJobs(seed, false);
    Path dir = temp.resolve("s");
    FileJobStore file = open(dir);
    InMemoryJobStore memory = new InMemoryJobStore();
    List<String> ids = List.of("j1", "J2", "../j3", "j4", "j5\u0000");
    for (int step = 0; step < 60; step++) {
      List<StoreBatch.StoredJob> jobs = new ArrayList<>();
      for (int k = r.random().nextInt(3); k >= 0; k--) {
        String id = ids.get(r.random().nextInt(ids.size()));
        JobStatus status = JobStatus.values()[r.random().nextInt(4)];
        JobResult j = withFinished(r.job(id, status), NOW.minusSeconds(r.random().nextInt(1000)));
        List<StoreBatch.TaskLease> leases = new ArrayList<>();
        for (int t = 0; t < j.tasks().size(); t++) {
          if (r.random().nextBoolean()) {
            leases.add(
                new StoreBatch.TaskLease(
                    t, Optional.of((long) r.random().nextInt(100)), r.names()));
          }
        }
        BuildFiles files =
            r.random().nextBoolean()
                ? BuildFiles.NONE
                : BuildFiles.ofFolder(temp.resolve("b" + step));
        jobs.add(
            new StoreBatch.StoredJob(
                j, files, leases, status.isFinal() && r.random().nextBoolean()));
      }
      StoreBatch b = new StoreBatch(jobs, r.random().nextInt(1000));
      file.write(b);
      memory.write(b);
      if (r.random().nextInt(5) == 0) {
        JobId out = new JobId(ids.get(r.random().nextInt(ids.size())));
        file.removeFromOutbox(out);
        memory.removeFromOutbox(out);
      }
      if (r.random().nextInt(3) == 0) {
        file.close();
        file = open(dir);
      }
      for (JobList l : JobList.values()) {
        assertThat(file.list(l)).as("seed %d step %d %s", seed, step, l).isEqualTo(memory.list(l));
      }
      assertThat(file.outbox()).as("seed %d step %d outbox", seed, step).isEqualTo(memory.outbox());
      StoreResume fr = file.resume();
      StoreResume mr = memory.resume();
      assertThat(fr.lastToken()).isEqualTo(mr.lastToken());
      assertThat(fr.jobs()).as("seed %d step %d resume", seed, step).isEqualTo(mr.jobs());
    }
  }

  @org.junit.jupiter.api.AfterEach
  void closeAll() {
    opened.forEach(FileJobStore::close);
  }
}
