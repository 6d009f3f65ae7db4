package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.CacheMount;
import io.proteus.model.ContainerRequest;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.testkit.RecordingOutput;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workspace and writable caches are mounted nosuid,nodev, stay private and are never opened to
 * everyone; set-id bits a root task plants do not survive on the host.
 */
class DockerWorkspaceTest {
  static DockerEngine engine;
  static DockerCaches caches;
  @TempDir static Path cacheRoot;
  @TempDir Path tmp;
  final RecordingOutput sink = new RecordingOutput();

  @BeforeAll
  static void docker() {
    DockerTestSupport.requireDocker();
    caches = new DockerCaches(cacheRoot.resolve("caches"), 1 << 30);
    engine = DockerEngine.builder(DockerTestSupport.policy()).caches(Optional.of(caches)).connect();
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  ExitStatus run(Path ws, String script, ContainerRequest request) throws Exception {
    return engine
        .start(
            new ExecSpec(
                List.of("sh", "-c", script),
                ws,
                Map.of(),
                Optional.empty(),
                Duration.ofSeconds(60),
                sink,
                Optional.of(request)))
        .exit()
        .toCompletableFuture()
        .get(90, TimeUnit.SECONDS);
  }

  static int mode(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
  }

  static List<Path> tree(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.toList();
    }
  }

  @Test
  void aSetuidFilePlantedByARootTaskHasNoEffectAndDoesNotSurvive() throws Exception {
    Path ws = Files.createDirectories(tmp.resolve("work/ws"));
    Files.createDirectories(ws.resolve("results"));
    ContainerRequest request =
        ContainerRequest.image(DockerTestSupport.IMAGE)
            .withCache(new CacheMount("tools", "/cache", true));
    ExitStatus s =
        run(
            ws,
            "cp /bin/busybox ./bb && chmod u+s,g+s ./bb && ls -l ./bb;"
                + " mkdir d && mv d moved && echo ok > moved/f;"
                + " cp /bin/busybox /cache/bb && chmod u+s /cache/bb;"
                + " grep -E \" ($PWD|/cache) \" /proc/self/mountinfo",
            request);
    assertThat(s.code()).as("output %s", sink.merged()).isZero();
    assertThat(sink.stdout().getFirst()).as("the bit was set inside").startsWith("-rwsr-s");
    List<String> mounts = sink.stdout().subList(1, sink.stdout().size());
    assertThat(mounts).hasSize(2);
    for (String line : mounts) {
      String options = line.split(" ")[5];
      assertThat(options.split(",")).as(line).contains("rw", "nosuid", "nodev");
    }
    assertThat(ws.resolve("moved/f")).hasContent("ok");
    assertThat(mode(ws.resolve("bb")) & 06000).as("set-id bits left on the host").isZero();
    assertThat(mode(caches.folderOf("tools").path().resolve("bb")) & 06000).isZero();
    assertThat(mode(ws) & 0777).isEqualTo(0700);
    assertThat(tree(tmp.resolve("work")))
        .as("nothing is left beside the workspace")
        .allMatch(p -> p.startsWith(ws) || p.equals(tmp.resolve("work")));
  }

  @Test
  void aSharedCacheIsReadOnlyNosuidNodev() throws Exception {
    Path ws = Files.createDirectories(tmp.resolve("ro"));
    ExitStatus s =
        run(
            ws,
            "grep \" /shared \" /proc/self/mountinfo",
            ContainerRequest.image(DockerTestSupport.IMAGE)
                .withCache(new CacheMount("shared", "/shared", false)));
    assertThat(s.code()).isZero();
    assertThat(sink.stdout().getFirst().split(" ")[5].split(",")).contains("ro", "nosuid", "nodev");
  }

  @Test
  void aNonRootTaskGetsTheWorkspaceByOwnershipAndNothingIsWorldWritable() throws Exception {
    Path ws = Files.createDirectories(tmp.resolve("user"));
    Path results = Files.createDirectories(ws.resolve("results"));
    Files.writeString(ws.resolve("scenario.sh"), "echo hi\n");
    int owner = (Integer) Files.getAttribute(ws, "unix:uid");
    ContainerRequest asUser =
        new ContainerRequest(
            Optional.of(DockerTestSupport.IMAGE),
            Optional.empty(),
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of("1000:1000"),
            false);
    ExitStatus s =
        run(
            ws,
            "id -u; touch results/r && cat scenario.sh && stat -c '%a %u' . results scenario.sh",
            asUser);
    assertThat(s.code()).as("output %s", sink.merged()).isZero();
    assertThat(sink.stdout()).startsWith("1000", "echo hi");
    assertThat(sink.stdout()).contains("700 1000").noneMatch(l -> l.matches("\\d*[2367] .*"));
    assertThat(results.resolve("r")).exists();
    for (Path p : tree(ws)) {
      assertThat(mode(p) & 0002).as("%s is world-writable", p).isZero();
      assertThat((Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS))
          .as("%s is given back", p)
          .isEqualTo(owner);
    }
    for (Path p : tree(cacheRoot)) {
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        assertThat(mode(p) & 0002).as("%s is world-writable", p).isZero();
      }
    }
  }
}
