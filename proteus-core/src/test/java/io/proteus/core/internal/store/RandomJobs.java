package io.proteus.core.internal.store;

import io.proteus.model.AttemptEnd;
import io.proteus.model.AttemptRecord;
import io.proteus.model.CacheMount;
import io.proteus.model.CaseStatus;
import io.proteus.model.ContainerRequest;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.JobStatus;
import io.proteus.model.ServiceRequest;
import io.proteus.model.TaskId;
import io.proteus.model.TaskResult;
import io.proteus.model.TaskStatus;
import io.proteus.model.TestCaseResult;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Random jobs from a seeded generator, for round trips: every field, optional values present and
 * absent (or, with {@code full}, always present), and hostile strings.
 */
public final class RandomJobs {
  private static final String[] HOSTILE = {
    "",
    "\"quoted\" \\back\\slash",
    "line\nbreak\r\ttab",
    "nul\u0000char",
    "lone \uD800 surrogate",
    "other lone \uDC00",
    "emoji \uD83D\uDE00 and \u202Eright-to-left",
    "../../etc/passwd",
    "/abs/path",
    "é ü ß 漢字",
    "{\"json\":true}",
    "\u2028\u2029",
  };

  private final Random random;
  private final boolean full;

  /** A generator from {@code seed}; with {@code full} every optional value is present. */
  public RandomJobs(long seed, boolean full) {
    this.random = new Random(seed);
    this.full = full;
  }

  /** A random string: often hostile. */
  public String text() {
    if (random.nextInt(3) == 0) {
      return HOSTILE[random.nextInt(HOSTILE.length)];
    }
    StringBuilder b = new StringBuilder();
    int n = random.nextInt(12);
    for (int i = 0; i < n; i++) {
      b.append((char) (random.nextBoolean() ? 'a' + random.nextInt(26) : random.nextInt(0x3000)));
    }
    return b.toString();
  }

  <T> Optional<T> maybe(Supplier<T> value) {
    return full || random.nextBoolean() ? Optional.of(value.get()) : Optional.empty();
  }

  private <T> List<T> some(int max, Supplier<T> value) {
    int n = random.nextInt(max + 1);
    if (full) {
      n = Math.max(n, 1);
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(value.get());
    }
    return out;
  }

  private Instant instant() {
    return Instant.ofEpochSecond(
        1_600_000_000L + random.nextInt(200_000_000), random.nextInt(1_000_000_000));
  }

  private Duration duration() {
    return Duration.ofSeconds(random.nextInt(100_000), random.nextInt(1_000_000_000));
  }

  private <E extends Enum<E>> E pick(Class<E> type) {
    E[] all = type.getEnumConstants();
    return all[random.nextInt(all.length)];
  }

  private Object metaValue(int depth) {
    int kind = random.nextInt(depth > 1 ? 5 : 7);
    return switch (kind) {
      case 0 -> text();
      case 1 -> random.nextBoolean();
      case 2 -> random.nextInt();
      case 3 -> Long.MAX_VALUE - random.nextInt(1000);
      case 4 -> random.nextDouble() * 1e6;
      case 5 -> some(3, () -> metaValue(depth + 1));
      default -> {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = random.nextInt(3); i > 0; i--) {
          m.put("k" + random.nextInt(1000), metaValue(depth + 1));
        }
        yield m;
      }
    };
  }

  private ContainerRequest container() {
    List<CacheMount> caches = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0 || (full && caches.isEmpty()); i--) {
      caches.add(new CacheMount("cache" + caches.size(), "/" + text(), random.nextBoolean()));
    }
    List<ServiceRequest> services = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0 || (full && services.isEmpty()); i--) {
      Map<String, String> env = new LinkedHashMap<>();
      env.put(text(), text());
      services.add(
          new ServiceRequest("svc-" + services.size(), "img" + text(), some(3, this::text), env));
    }
    return new ContainerRequest(
        maybe(this::text),
        maybe(this::text),
        random.nextBoolean(),
        maybe(() -> 1L + random.nextInt(Integer.MAX_VALUE)),
        maybe(() -> 0.25 + random.nextInt(16) / 3.0),
        maybe(() -> 1L + random.nextInt(5000)),
        maybe(this::text),
        random.nextBoolean(),
        caches,
        services);
  }

  private TestSpec test(int i) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    for (int n = random.nextInt(4); n > 0 || (full && metadata.isEmpty()); n--) {
      metadata.put(text(), metaValue(0));
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (int n = random.nextInt(3); n > 0 || (full && env.isEmpty()); n--) {
      env.put(text(), text());
    }
    return new TestSpec(
        "test" + i + text(),
        text(),
        maybe(this::text),
        some(3, this::text),
        metadata,
        maybe(this::duration),
        new LinkedHashSet<>(some(3, this::text)),
        new LinkedHashSet<>(some(3, this::text)),
        env,
        some(4, this::text),
        maybe(this::text),
        maybe(this::container),
        maybe(this::duration),
        maybe(this::duration),
        maybe(this::duration));
  }

  /** A random plan. */
  public TestPlan plan() {
    List<TestSpec> tests = new ArrayList<>();
    for (int i = 0; i <= random.nextInt(3); i++) {
      tests.add(test(i));
    }
    return new TestPlan(text(), text(), some(3, this::text), text(), maybe(this::text), tests);
  }

  private AttemptRecord attempt(int n) {
    return new AttemptRecord(
        n,
        random.nextLong() & Long.MAX_VALUE,
        text(),
        instant(),
        maybe(this::instant),
        maybe(() -> pick(AttemptEnd.class)),
        maybe(this::text),
        maybe(this::text));
  }

  /** A random task of {@code job}. */
  public TaskResult task(JobId job, int index) {
    List<AttemptRecord> attempts = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0 || (full && attempts.isEmpty()); i--) {
      attempts.add(attempt(attempts.size() + 1));
    }
    List<TestCaseResult> cases =
        some(
            3,
            () ->
                new TestCaseResult(
                    text(),
                    pick(CaseStatus.class),
                    maybe(this::text),
                    duration(),
                    random.nextBoolean()));
    return new TaskResult(
        new TaskId(job, index),
        text(),
        text(),
        pick(TaskStatus.class),
        attempts,
        maybe(this::text),
        cases,
        maybe(random::nextInt),
        maybe(this::text));
  }

  /** A random job with this id and status. */
  public JobResult job(String id, JobStatus status) {
    JobId jid = new JobId(id);
    List<TaskResult> tasks = new ArrayList<>();
    for (int i = random.nextInt(5); i > 0 || (full && tasks.isEmpty()); i--) {
      tasks.add(task(jid, tasks.size()));
    }
    return new JobResult(
        jid, text(), text(), plan(), text(), status, tasks, instant(), maybe(this::instant));
  }

  /** A random job. */
  public JobResult job() {
    return job(text(), pick(JobStatus.class));
  }

  /** A random set of worker names. */
  public Set<String> names() {
    return new LinkedHashSet<>(some(3, this::text));
  }

  /** The generator's random source. */
  public Random random() {
    return random;
  }
}
