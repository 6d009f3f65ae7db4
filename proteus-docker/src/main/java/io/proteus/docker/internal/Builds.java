package io.proteus.docker.internal;

import com.github.dockerjava.api.command.InspectImageResponse;
import io.proteus.EngineException;
import io.proteus.core.internal.util.Confinement;
import io.proteus.docker.DockerPolicy;
import io.proteus.docker.ImagePattern;
import io.proteus.docker.ImageRef;
import io.proteus.docker.RuntimeMode;
import io.proteus.spi.FailureKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a task's image from the Dockerfile in its workspace: every image the Dockerfile can pull
 * (its {@code FROM}, {@code --from} and {@code --mount from} images, and the {@code ONBUILD}
 * triggers of its bases) must pass the policy and be on the daemon (or be pulled, when the policy
 * allows pulls) before the build starts; then the build runs with the task's limits and timeout,
 * and can be cancelled.
 */
public final class Builds {
  private Builds() {}

  /**
   * Builds {@code plan}'s image; returns its tag.
   *
   * @throws EngineException when the policy refuses the Dockerfile or the workspace holds none
   *     (neither is retryable), or when the build fails, runs past {@code limit} or is cancelled
   */
  public static String build(
      EngineParts parts,
      ContainerPlan plan,
      Path workspace,
      Map<String, String> labels,
      Duration limit,
      List<Cancels> cancels) {
    String rel = plan.dockerfile().orElseThrow();
    byte[] bytes = read(workspace, rel);
    DockerfileCheck.Result used = DockerfileCheck.check(bytes);
    if (used.bases().isEmpty() && used.images().isEmpty()) {
      throw PolicyCheck.refused("the Dockerfile " + rel + " builds from no image (no FROM)");
    }
    List<DockerfileCheck.Use> all = new ArrayList<>(used.images());
    for (DockerfileCheck.Base base : used.bases()) {
      InspectImageResponse image = allowed(parts, new DockerfileCheck.Use(base.image(), 0, "FROM"));
      List<String> triggers =
          image.getConfig() == null || image.getConfig().getOnBuild() == null
              ? List.of()
              : List.of(image.getConfig().getOnBuild());
      all.addAll(DockerfileCheck.triggers(triggers, base));
    }
    for (DockerfileCheck.Use use : all) {
      allowed(parts, use);
    }
    Path context =
        BuildContext.write(
            workspace.resolve(rel).normalize().getParent(),
            bytes,
            parts.settings().archiveLimits());
    String tag = plan.image().canonical();
    ImageBuild build = new ImageBuild(parts.daemon(), tag, labels);
    List<AutoCloseable> registered = new ArrayList<>();
    try {
      for (Cancels c : cancels) {
        registered.add(c.register(build::cancel));
      }
      build.run(
          context, new ImageBuild.Limits(plan.network(), plan.memoryBytes(), plan.cpus()), limit);
      return tag;
    } finally {
      for (AutoCloseable r : registered) {
        try {
          r.close();
        } catch (Exception e) {
          // only removes a hook from a set
        }
      }
      BuildContext.delete(context);
    }
  }

  private static byte[] read(Path workspace, String rel) {
    Path dockerfile = Confinement.below(workspace, rel).orElseThrow(() -> noDockerfile(rel));
    try {
      if (!Files.isRegularFile(dockerfile, LinkOption.NOFOLLOW_LINKS)
          || !dockerfile.getParent().toRealPath().startsWith(workspace.toRealPath())) {
        throw noDockerfile(rel);
      }
      if (Files.size(dockerfile) > DockerfileCheck.MAX_BYTES) {
        throw PolicyCheck.refused(
            "the Dockerfile " + rel + " is larger than " + DockerfileCheck.MAX_BYTES + " bytes");
      }
      return Files.readAllBytes(dockerfile);
    } catch (IOException e) {
      throw new EngineException(
          "cannot read the Dockerfile " + Labels.clean(rel) + ": " + e.getMessage(), e);
    }
  }

  /** The build lacks the Dockerfile: no other worker could build it either. */
  private static EngineException noDockerfile(String rel) {
    return EngineException.nonRetryable(
        FailureKind.BAD_BUILD, "no Dockerfile at " + Labels.clean(rel) + " in the build");
  }

  /** Checks one image the Dockerfile uses against the policy; makes sure it is on the daemon. */
  private static InspectImageResponse allowed(EngineParts parts, DockerfileCheck.Use use) {
    DockerPolicy policy = parts.policy();
    String where = use.line() > 0 ? " (line " + use.line() + ")" : "";
    ImageRef ref;
    try {
      ref = ImageRef.parse(use.image());
    } catch (IllegalArgumentException e) {
      throw PolicyCheck.refused(
          "the Dockerfile uses "
              + use.how()
              + " "
              + Labels.clean(use.image())
              + where
              + ": "
              + e.getMessage());
    }
    if (policy.allowedImages().stream().noneMatch(p -> p.allows(ref))) {
      throw PolicyCheck.refused(
          "the Dockerfile uses "
              + use.how()
              + " "
              + ref
              + where
              + ", which is not allowed; the policy allows "
              + policy.allowedImages().stream().map(ImagePattern::text).toList());
    }
    Optional<InspectImageResponse> image = Images.inspect(parts.daemon().calls(), ref.canonical());
    if (image.isEmpty() && policy.modes().contains(RuntimeMode.PULL)) {
      Images.pull(parts.daemon().streams(), policy, ref);
      image = Images.inspect(parts.daemon().calls(), ref.canonical());
    }
    if (image.isEmpty()) {
      throw new EngineException(
          "the Dockerfile's image "
              + ref
              + " ("
              + use.how()
              + where
              + ") is not on the Docker daemon");
    }
    PolicyCheck.checkPins(
        policy,
        ref,
        String.valueOf(image.get().getId()),
        Optional.ofNullable(image.get().getRepoDigests()).orElse(List.of()));
    return image.get();
  }
}
