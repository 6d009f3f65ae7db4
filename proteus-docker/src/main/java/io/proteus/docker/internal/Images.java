package io.proteus.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import io.proteus.EngineException;
import io.proteus.docker.DockerPolicy;
import io.proteus.docker.ImageRef;
import io.proteus.docker.RegistryCredentials;
import io.proteus.docker.RuntimeMode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gets a task's image as its plan says, present or pulled with credentials; then checks pins. */
public final class Images {
  private static final Logger log = LoggerFactory.getLogger(Images.class);
  private static final long PULL_MINUTES = 10;

  private Images() {}

  /** Makes sure the plan's image (not a build) is on the daemon; returns the name to run. */
  public static String ensure(Daemon daemon, DockerPolicy policy, ContainerPlan plan) {
    if (plan.mode() == RuntimeMode.BUILD) {
      throw new IllegalArgumentException("builds go through Builds");
    }
    String name = plan.image().canonical();
    InspectImageResponse image = inspect(daemon.calls(), name).orElse(null);
    if (image == null) {
      if (plan.mode() != RuntimeMode.PULL) {
        throw new EngineException(
            "image "
                + name
                + " is not on the Docker daemon, and the policy allows only images already present");
      }
      pull(daemon.streams(), policy, plan.image());
      image =
          inspect(daemon.calls(), name)
              .orElseThrow(
                  () -> new EngineException("image " + name + " is still missing after its pull"));
    }
    PolicyCheck.checkPins(
        policy,
        plan.image(),
        String.valueOf(image.getId()),
        Optional.ofNullable(image.getRepoDigests()).orElse(List.of()));
    return name;
  }

  static Optional<InspectImageResponse> inspect(DockerClient client, String name) {
    try {
      return Optional.of(client.inspectImageCmd(name).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw new EngineException("cannot inspect image " + name + ": " + Errors.describe(e), e);
    }
  }

  /** Removes an image the engine built; failures are logged. */
  public static void remove(Daemon daemon, String image) {
    try {
      daemon.calls().removeImageCmd(image).withForce(true).exec();
    } catch (NotFoundException e) {
      // already gone
    } catch (RuntimeException e) {
      log.warn("cannot remove built image {}: {}", image, Errors.describe(e));
    }
  }

  /** Pulls {@code image} with the policy's credentials for its registry, within 10 minutes. */
  static void pull(DockerClient client, DockerPolicy policy, ImageRef image) {
    var cmd = client.pullImageCmd(image.repository());
    cmd =
        image.digest().isPresent()
            ? cmd.withTag(image.digest().get())
            : cmd.withTag(image.tag().orElse("latest"));
    Optional<RegistryCredentials> creds =
        image
            .registry()
            .flatMap(r ->
                policy.credentials().values().stream()
                    .filter(c ->
                        c.registry().toLowerCase(Locale.ROOT).equals(r.toLowerCase(Locale.ROOT)))
                    .findFirst());
    if (creds.isPresent()) {
      cmd =
          cmd.withAuthConfig(
              new AuthConfig()
                  .withRegistryAddress(creds.get().registry())
                  .withUsername(creds.get().username())
                  .withPassword(creds.get().password()));
    }
    PullImageResultCallback callback = null;
    try {
      callback = cmd.exec(new PullImageResultCallback());
      if (!callback.awaitCompletion(PULL_MINUTES, TimeUnit.MINUTES)) {
        throw new EngineException(
            "pull of " + image + " did not finish in " + PULL_MINUTES + " minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted while pulling " + image, e);
    } catch (EngineException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new EngineException("cannot pull " + image + ": " + Errors.describe(e), e);
    } finally {
      if (callback != null) {
        ContainerRun.closeQuietly(callback);
      }
    }
  }
}
