package io.proteus.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.EngineException;
import io.proteus.docker.DockerPolicy;
import io.proteus.model.CacheMount;
import io.proteus.model.ContainerRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Requests that would mean no limit, users the engine cannot give a workspace, bad cache paths. */
class PolicyCheckTest {
  final DockerPolicy policy =
      DockerPolicy.builder().allowImages("proteus-test/*").defaultImage("proteus-test/a:1").build();

  static ContainerRequest limits(
      Optional<Long> memory, Optional<Double> cpus, Optional<Long> pids, Optional<String> user) {
    return new ContainerRequest(
        Optional.empty(), Optional.empty(), false, memory, cpus, pids, user, false);
  }

  void refused(ContainerRequest r, String why) {
    assertThatThrownBy(() -> PolicyCheck.check(policy, Optional.of(r), "b/x:1"))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("refused by the Docker policy")
        .hasMessageContaining(why)
        .satisfies(e ->
            assertThat(((EngineException) e).failure())
                .isEqualTo(
                    io.proteus.spi.Failure.nonRetryable(
                        io.proteus.spi.FailureKind.POLICY_REFUSED, e.getMessage())));
  }

  @Test
  void limitsThatDockerReadsAsUnlimitedAreRefused() {
    var none = Optional.<Long>empty();
    var noCpu = Optional.<Double>empty();
    var noUser = Optional.<String>empty();
    refused(limits(Optional.of(0L), noCpu, none, noUser), "memory");
    refused(limits(Optional.of(-1L), noCpu, none, noUser), "memory");
    refused(limits(none, Optional.of(0.0), none, noUser), "CPUs");
    refused(limits(none, Optional.of(Double.NaN), none, noUser), "CPUs");
    refused(limits(none, noCpu, Optional.of(0L), noUser), "processes");
    refused(limits(none, noCpu, Optional.of(-1L), noUser), "processes");
  }

  @Test
  void aUserMustBeNumeric() {
    var none = Optional.<Long>empty();
    var noCpu = Optional.<Double>empty();
    refused(limits(none, noCpu, none, Optional.of("nobody")), "is not numeric");
    refused(limits(none, noCpu, none, Optional.of("1000:staff")), "is not numeric");
    assertThatCode(() ->
            PolicyCheck.check(
                policy, Optional.of(limits(none, noCpu, none, Optional.of("1000:1000"))), "b/x:1"))
        .doesNotThrowAnyException();
  }

  @Test
  void cachesCannotBeMountedOverSystemFoldersTheWorkspaceOrEachOther() {
    Path ws = Path.of("/work/ws");
    for (String bad :
        List.of("/", "/proc/x", "/sys", "/dev/shm", "/work", "/work/ws/c", "/a/../b")) {
      assertThatThrownBy(
              () -> TaskLaunch.checkMountPaths(List.of(new CacheMount("c", bad, true)), ws))
          .as(bad)
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("cannot be mounted")
          .satisfies(e -> assertThat(((EngineException) e).retryable()).as(bad).isFalse());
    }
    assertThatThrownBy(() ->
            TaskLaunch.checkMountPaths(
                List.of(new CacheMount("a", "/c", true), new CacheMount("b", "/c/d", false)), ws))
        .isInstanceOf(EngineException.class);
    assertThatCode(
            () -> TaskLaunch.checkMountPaths(List.of(new CacheMount("a", "/cache", true)), ws))
        .doesNotThrowAnyException();
  }
}
