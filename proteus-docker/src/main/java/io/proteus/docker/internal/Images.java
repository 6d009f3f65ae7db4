package io.proteus.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.core.command.BuildImageResultCallback;
import io.proteus.EngineException;
import io.proteus.docker.DockerPolicy;
import io.proteus.docker.ImageRef;
import io.proteus.docker.RegistryCredentials;
import io.proteus.docker.RuntimeMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Gets a task's image as its plan says: present, pulled with credentials, or built; then checks
 * pins.
 */
public final class Images {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Images.class);

  private Images() {}

  /** Makes sure the plan's image is on the daemon; returns the image name to run. */
  public static String ensure(
      Daemon daemon,
      DockerPolicy policy,
      ContainerPlan plan,
      Path workspace,
      Map<String, String> labels) {
    DockerClient client = daemon.calls();
    if (plan.mode() == RuntimeMode.BUILD) {
      return build(daemon.streams(), policy, plan, workspace, labels);
    }
    String name = plan.image().canonical();
    InspectImageResponse image = inspect(client, name).orElse(null);
    if (image == null) {
      if (plan.mode() != RuntimeMode.PULL) {
        throw new EngineException(
            "image "
                + name
                + " is not on the Docker daemon, and the policy allows only images already present");
      }
      pull(daemon.streams(), policy, plan.image());
      image =
          inspect(client, name)
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

  private static Optional<InspectImageResponse> inspect(DockerClient client, String name) {
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

  private static void pull(DockerClient client, DockerPolicy policy, ImageRef image) {
    var cmd = client.pullImageCmd(image.repository());
    cmd =
        image.digest().isPresent()
            ? cmd.withTag(image.digest().get())
            : cmd.withTag(image.tag().orElse("latest"));
    Optional<RegistryCredentials> creds = image.registry().map(policy.credentials()::get);
    if (creds.isPresent()) {
      cmd =
          cmd.withAuthConfig(
              new AuthConfig()
                  .withRegistryAddress(creds.get().registry())
                  .withUsername(creds.get().username())
                  .withPassword(creds.get().password()));
    }
    try {
      if (!cmd.exec(new PullImageResultCallback()).awaitCompletion(10, TimeUnit.MINUTES)) {
        throw new EngineException("pull of " + image + " did not finish in 10 minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted while pulling " + image, e);
    } catch (RuntimeException e) {
      throw new EngineException("cannot pull " + image + ": " + e.getMessage(), e);
    }
  }

  private static String build(
      DockerClient client,
      DockerPolicy policy,
      ContainerPlan plan,
      Path workspace,
      Map<String, String> labels) {
    String rel = plan.dockerfile().orElseThrow();
    Path dockerfile = workspace.resolve(rel).normalize();
    if (!dockerfile.startsWith(workspace)
        || !Files.isRegularFile(dockerfile, LinkOption.NOFOLLOW_LINKS)) {
      throw new EngineException("no Dockerfile at " + rel + " in the build");
    }
    for (String base : fromImages(dockerfile)) {
      ImageRef ref = ImageRef.parse(base);
      if (policy.allowedImages().stream().noneMatch(p -> p.allows(ref))) {
        throw PolicyCheck.refused("the Dockerfile builds FROM " + ref + ", which is not allowed");
      }
      if (inspect(client, ref.canonical()).isEmpty()) {
        throw new EngineException(
            "the Dockerfile's base image " + ref + " is not on the Docker daemon");
      }
    }
    try {
      client
          .buildImageCmd()
          .withDockerfile(dockerfile.toFile())
          .withBaseDirectory(dockerfile.getParent().toFile())
          .withTags(Set.of(plan.image().canonical()))
          .withLabels(labels)
          .withPull(false)
          .exec(new BuildImageResultCallback())
          .awaitImageId();
    } catch (RuntimeException e) {
      throw new EngineException("cannot build the image from " + rel + ": " + e.getMessage(), e);
    }
    return plan.image().canonical();
  }

  /** The images a Dockerfile builds FROM (stage names that earlier stages define are skipped). */
  static List<String> fromImages(Path dockerfile) {
    try {
      List<String> out = new java.util.ArrayList<>();
      java.util.Set<String> stages = new java.util.HashSet<>();
      for (String line : Files.readAllLines(dockerfile)) {
        String[] words = line.trim().split("\\s+");
        if (words.length >= 2 && words[0].toUpperCase(Locale.ROOT).equals("FROM")) {
          int i = 1;
          while (i < words.length && words[i].startsWith("--")) {
            i++;
          }
          if (i >= words.length) {
            continue;
          }
          String image = words[i];
          if (!stages.contains(image) && !image.equalsIgnoreCase("scratch")) {
            out.add(image);
          }
          if (i + 2 < words.length && words[i + 1].equalsIgnoreCase("AS")) {
            stages.add(words[i + 2]);
          }
        }
      }
      return out;
    } catch (IOException e) {
      throw new EngineException("cannot read the Dockerfile: " + e.getMessage(), e);
    }
  }
}
