package io.proteus.core.artifacts;

import static io.proteus.core.artifacts.TestServers.bearer;
import static io.proteus.core.artifacts.TestServers.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.core.internal.artifacts.FilePaths;
import io.proteus.core.internal.artifacts.FolderFiles;
import io.proteus.core.internal.artifacts.JobFiles;
import io.proteus.model.JobId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random paths built from hostile segments never yield a file outside the job folder: each
 * answer is checked against the folder's real files, found by an independent walk that refuses
 * links. Each run is seeded; the seed is in every failure message.
 */
class HostilePathPropertyTest {

  static final String[] SEGMENTS = {
    "bin",
    "app",
    "lib",
    "data",
    "a.txt",
    "deep",
    "x",
    "link-out",
    "link-in",
    "dir-out",
    "dir-in",
    "..",
    ".",
    "",
    "%2e%2e",
    "%2E%2e",
    ".%2e",
    "%2e.",
    "%2e",
    "%2f",
    "%5c",
    "\\",
    "..\\..",
    "%252e%252e",
    "%252f",
    "%c0%ae%c0%ae",
    "%c0%af",
    "%e0%80%ae",
    "%e2%80%ae",
    "jobs",
    "job-1",
    "job-2",
    "outside",
    "secret",
    "C:",
    "c%3a",
    "~",
    "%61pp",
    "b%69n",
    "%2e%2e%2f%2e%2e",
    "..;",
    "%20",
    "a%20b",
    "%7e",
    "%ff",
    "%fe%ff",
    ";",
    "%3b",
  };

  static final String[] JOINS = {"/", "/", "/", "/", "%2f", "%2F", "\\", "%5c", "//"};

  @TempDir Path tmp;
  Path job;

  @BeforeEach
  void build() throws IOException {
    job = tmp.resolve("jobs/job-1");
    for (String p : List.of("bin/app", "lib/a.txt", "data/deep/x", "a.txt", "a b", "bin/lib/app")) {
      write(job, p, "inside:" + p);
    }
    for (String p :
        List.of("outside/secret", "outside/app", "outside/bin/app", "jobs/job-2/bin/app")) {
      write(tmp, p, "outside:" + p);
    }
    Files.createSymbolicLink(job.resolve("link-out"), tmp.resolve("outside/secret"));
    Files.createSymbolicLink(job.resolve("bin/link-in"), job.resolve("bin/app"));
    Files.createSymbolicLink(job.resolve("dir-out"), tmp.resolve("outside"));
    Files.createSymbolicLink(job.resolve("lib/dir-in"), job.resolve("bin"));
  }

  static final String[] REAL = {
    "bin/app",
    "lib/a.txt",
    "data/deep/x",
    "a.txt",
    "a%20b",
    "bin/lib/app",
    "link-out",
    "bin/link-in",
    "dir-out/secret",
    "lib/dir-in/app",
  };

  /** A real path, some of its characters percent-encoded (a {@code /} too, sometimes), or noise. */
  static String randomPath(Random r) {
    if (r.nextInt(5) < 2) {
      StringBuilder b = new StringBuilder();
      for (char c : REAL[r.nextInt(REAL.length)].toCharArray()) {
        if (r.nextInt(8) == 0) {
          b.append(String.format("%%%02x", (int) c));
        } else {
          b.append(c);
        }
      }
      return b.toString();
    }
    StringBuilder b = new StringBuilder();
    if (r.nextInt(10) == 0) {
      b.append(r.nextBoolean() ? "/" : "%2f");
    }
    int n = 1 + r.nextInt(6);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(JOINS[r.nextInt(JOINS.length)]);
      }
      b.append(SEGMENTS[r.nextInt(SEGMENTS.length)]);
    }
    return b.toString();
  }

  /**
   * The oracle, written apart from the server's code: the content of the job's regular file this
   * raw path names (each segment URL-decoded once, no empty, dot or dot-dot segment, none of {@code
   * / \\ : %} or control characters, no link on the way), or empty.
   */
  Optional<String> expected(String raw) throws IOException {
    Path p = job;
    for (String part : raw.split("/", -1)) {
      String s;
      try {
        s = URLDecoder.decode(part, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      if (s.isEmpty()
          || s.equals(".")
          || s.equals("..")
          || s.chars().anyMatch(c -> "/\\:%\uFFFD".indexOf(c) >= 0 || Character.isISOControl(c))) {
        return Optional.empty();
      }
      p = p.resolve(s);
      if (Files.isSymbolicLink(p) || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
    }
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || !p.normalize().startsWith(job)) {
      return Optional.empty();
    }
    return Optional.of(Files.readString(p));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void overHttpEveryAnswerIsTheJobsOwnFileOrNothing(long seed) throws IOException {
    Random r = new Random(seed);
    int served = 0;
    try (ArtifactServer server = ArtifactServer.builder().build()) {
      server.start();
      ArtifactServer.Registration reg = server.register(new JobId("job-1"), job);
      for (int i = 0; i < 200; i++) {
        String raw = randomPath(r);
        RawHttp.Answer a = RawHttp.get(server.port(), "/v1/jobs/job-1/files/" + raw, bearer(reg));
        Optional<String> want = expected(raw);
        String why = "seed " + seed + ", try " + i + ", path " + raw;
        assertThat(a.text()).as(why).doesNotContain("outside:");
        if (want.isPresent()) {
          assertThat(a.status()).as(why).isEqualTo(200);
          assertThat(a.text()).as(why).isEqualTo(want.get());
          served++;
        } else {
          assertThat(a.status()).as(why).isIn(400, 404);
        }
      }
    }
    assertThat(served).as("some random paths name real files").isGreaterThan(10);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void directlyEveryOpenedFileIsInsideTheJob(long seed) throws IOException {
    Random r = new Random(seed);
    JobFiles files = new FolderFiles(new JobId("job-1"), job);
    int served = 0;
    for (int i = 0; i < 20_000; i++) {
      String raw = randomPath(r);
      Optional<List<String>> segments = FilePaths.decode(raw);
      Optional<JobFiles.OpenFile> f =
          segments.isEmpty() ? Optional.empty() : files.open(segments.get());
      Optional<String> want = expected(raw);
      String why = "seed " + seed + ", try " + i + ", path " + raw;
      assertThat(f.isPresent()).as(why).isEqualTo(want.isPresent());
      if (f.isPresent()) {
        try (JobFiles.OpenFile file = f.get()) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          file.copy(0, file.size(), out);
          String got = out.toString(StandardCharsets.UTF_8);
          assertThat(got).as(why).isEqualTo(want.get()).startsWith("inside:");
          served++;
        }
      }
    }
    assertThat(served).isGreaterThan(500);
  }
}
