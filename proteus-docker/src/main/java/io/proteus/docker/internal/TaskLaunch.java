package io.proteus.docker.internal;

import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import io.proteus.EngineException;
import io.proteus.docker.DockerCaches;
import io.proteus.docker.DockerExec;
import io.proteus.docker.RuntimeMode;
import io.proteus.model.CacheMount;
import io.proteus.model.ContainerRequest;
import io.proteus.model.ServiceRequest;
import io.proteus.spi.ExecSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one task's container: checks the request against the policy, gets the image, prepares the
 * workspace, takes the caches, starts the sidecars, creates and starts the container. Anything that
 * fails on the way releases what was taken and comes out as an {@link EngineException}.
 */
public final class TaskLaunch {
  private static final Logger log = LoggerFactory.getLogger(TaskLaunch.class);
  private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9._/@+-]*");

  private final EngineParts parts;
  private final ExecSpec spec;
  private final List<Cancels> cancels;
  private final long started = System.nanoTime();
  private final Releases held = new Releases();

  private TaskLaunch(EngineParts parts, ExecSpec spec, List<Cancels> cancels) {
    this.parts = parts;
    this.spec = spec;
    this.cancels = List.copyOf(cancels);
  }

  /**
   * Starts {@code spec}'s container; {@code onStart} sees the run before it starts, {@code onEnd}
   * once it is over and released; an image build on the way can be stopped through any of {@code
   * cancels}.
   *
   * @throws EngineException for every failure, with what could not be done
   */
  public static DockerExec launch(
      EngineParts parts,
      ExecSpec spec,
      List<Cancels> cancels,
      Consumer<ContainerRun> onStart,
      Consumer<ContainerRun> onEnd) {
    TaskLaunch launch = new TaskLaunch(parts, spec, cancels);
    try {
      return launch.run(onStart, onEnd);
    } catch (EngineException e) {
      launch.held.close();
      throw e;
    } catch (RuntimeException e) {
      launch.held.close();
      throw new EngineException(
          "cannot run the task in a container on the Docker daemon at "
              + parts.daemon().host()
              + ": "
              + Errors.describe(e),
          e);
    }
  }

  private DockerExec run(Consumer<ContainerRun> onStart, Consumer<ContainerRun> onEnd) {
    Path workspace = checkWorkspace(spec.workspace());
    String task = spec.task().map(Object::toString).orElse("none");
    ContainerPlan plan =
        PolicyCheck.check(
            parts.policy(),
            spec.container(),
            "proteus-build/"
                + Integer.toHexString(workspace.toString().hashCode())
                + ":"
                + Long.toHexString(System.nanoTime()));
    List<CacheMount> cacheMounts = spec.container().map(ContainerRequest::caches).orElse(List.of());
    checkMountPaths(cacheMounts, workspace);
    Map<String, String> labels = Labels.forTask(parts.owner(), task);
    String image;
    if (plan.mode() == RuntimeMode.BUILD) {
      String tag = plan.image().canonical();
      held.add("built image " + tag, () -> Images.remove(parts.daemon(), tag));
      image = Builds.build(parts, plan, workspace, labels, spec.timeout(), cancels);
    } else {
      image = Images.ensure(parts.daemon(), parts.policy(), plan);
    }
    List<String> env = new ArrayList<>();
    spec.environment().forEach((k, v) -> env.add(k + "=" + v));
    List<String> command = spec.command();
    if (spec.stdin().isPresent()) {
      command = stdinFromFile(workspace, env);
    }
    Optional<TaskUser> user = plan.user().flatMap(TaskUser::parse);
    List<Mount> mounts = new ArrayList<>();
    prepareWorkspace(workspace, user);
    mounts.add(Mounts.writable(parts.daemon(), workspace, workspace.toString(), labels, held));
    for (CacheMount m : cacheMounts) {
      DockerCaches.Lease lease = lease(m);
      held.add("cache " + m.name(), lease);
      Path dir = lease.folder().path();
      if (m.exclusive()) {
        FolderAccess.giveTo(dir, user.map(TaskUser::uid).orElseGet(FolderAccess::engineUid), -1);
        held.add("set-id bits in cache " + m.name(), () -> FolderAccess.stripSetId(dir));
        mounts.add(Mounts.writable(parts.daemon(), dir, m.path(), labels, held));
      } else {
        mounts.add(Mounts.readOnly(parts.daemon(), dir, m.path(), labels, held));
      }
    }
    Optional<String> privateNetwork = Optional.empty();
    List<ServiceRequest> services =
        spec.container().map(ContainerRequest::services).orElse(List.of());
    if (!services.isEmpty() || !parts.hooks().isEmpty()) {
      List<String> proxyEnv = new ArrayList<>();
      Sidecars sidecars =
          Sidecars.start(parts.daemon(), parts.policy(), services, parts.hooks(), labels, proxyEnv);
      held.add("sidecars", sidecars);
      env.addAll(proxyEnv);
      privateNetwork = Optional.of(sidecars.network());
    }
    HostConfig host =
        Hardening.hostConfig(plan, privateNetwork.orElse(plan.network() ? "bridge" : "none"))
            .withMounts(mounts);
    var create =
        parts
            .daemon()
            .calls()
            .createContainerCmd(image)
            .withCmd(command)
            .withEnv(env)
            .withWorkingDir(workspace.toString())
            .withLabels(labels)
            .withHostConfig(host)
            .withAttachStdout(true)
            .withAttachStderr(true);
    if (plan.user().isPresent()) {
      create = create.withUser(plan.user().get());
    }
    String id;
    try {
      id = create.exec().getId();
    } catch (RuntimeException e) {
      throw new EngineException(
          "cannot create a container from " + image + ": " + Errors.describe(e), e);
    }
    try {
      if (privateNetwork.isPresent() && plan.network()) {
        parts
            .daemon()
            .calls()
            .connectToNetworkCmd()
            .withNetworkId("bridge")
            .withContainerId(id)
            .exec();
      }
      ContainerRun[] self = new ContainerRun[1];
      ContainerRun run =
          new ContainerRun(
              parts.daemon(),
              id,
              spec,
              remaining(),
              parts.settings(),
              () -> {
                held.close();
                onEnd.accept(self[0]);
              });
      self[0] = run;
      onStart.accept(run);
      try {
        run.begin();
      } catch (RuntimeException e) {
        onEnd.accept(run);
        throw e;
      }
      return run;
    } catch (RuntimeException e) {
      new Reaping(parts.daemon(), id, parts.settings().killTimeout()).removeUntilGone();
      throw new EngineException(
          "cannot start a container from " + image + ": " + Errors.describe(e), e);
    }
  }

  /** What is left of the task's timeout once its image is ready: at least a second. */
  private Duration remaining() {
    Duration left = spec.timeout().minusNanos(System.nanoTime() - started);
    return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
  }

  /** The workspace as an absolute, normal path the engine can mount safely. */
  static Path checkWorkspace(Path given) {
    Path ws = given.toAbsolutePath().normalize();
    if (!SAFE_PATH.matcher(ws.toString()).matches()) {
      throw new EngineException(
          "the workspace "
              + ws
              + " has characters the engine does not mount (letters, digits and ._/@+- only)");
    }
    if (!Files.isDirectory(ws, LinkOption.NOFOLLOW_LINKS)) {
      throw new EngineException("the workspace " + ws + " is not a folder");
    }
    return ws;
  }

  /** Cache paths in the container: absolute, normal, apart from each other and the workspace. */
  static void checkMountPaths(List<CacheMount> mounts, Path workspace) {
    List<Path> taken = new ArrayList<>(List.of(workspace));
    for (CacheMount m : mounts) {
      String p = m.path();
      Path path = Path.of(p).normalize();
      boolean bad =
          !SAFE_PATH.matcher(p).matches()
              || !path.toString().equals(p)
              || p.equals("/")
              || p.length() > 1024;
      for (String system : List.of("/proc", "/sys", "/dev")) {
        bad |= path.startsWith(system) || Path.of(system).startsWith(path);
      }
      for (Path other : taken) {
        bad |= path.startsWith(other) || other.startsWith(path);
      }
      if (bad) {
        throw PolicyCheck.refused(
            "the cache '"
                + m.name()
                + "' cannot be mounted at '"
                + Labels.clean(p)
                + "': give a normal absolute path outside /proc, /sys and /dev, apart from the"
                + " workspace and the other caches");
      }
      taken.add(path);
    }
  }

  private DockerCaches.Lease lease(CacheMount m) {
    if (parts.caches().isEmpty()) {
      throw new EngineException(
          "the task asks for the cache '" + m.name() + "' but this engine has no cache root");
    }
    return parts.caches().get().acquire(m.name(), m.exclusive(), Duration.ofMinutes(5));
  }

  /**
   * Docker's attach cannot reliably close a container's stdin, so a payload is written to a file in
   * the workspace and the command runs with it as stdin through the image's {@code /bin/sh}.
   */
  private List<String> stdinFromFile(Path workspace, List<String> env) {
    Path file = workspace.resolve(".proteus-stdin");
    try (OutputStream out =
        Files.newOutputStream(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      out.write(spec.stdin().orElseThrow());
    } catch (IOException e) {
      throw new EngineException("cannot write the stdin payload: " + e.getMessage(), e);
    }
    env.add("PROTEUS_STDIN_FILE=" + file);
    List<String> wrapped =
        new ArrayList<>(
            List.of("/bin/sh", "-c", "exec \"$@\" < \"$PROTEUS_STDIN_FILE\"", "proteus-stdin"));
    wrapped.addAll(spec.command());
    return wrapped;
  }

  /**
   * Keeps the workspace private; gives it to the task's user when that is not root, and takes it
   * back after; strips set-id bits the task planted.
   */
  private void prepareWorkspace(Path workspace, Optional<TaskUser> user) {
    FolderAccess.makePrivate(workspace);
    held.add("set-id bits in the workspace", () -> FolderAccess.stripSetId(workspace));
    if (user.isPresent() && !user.get().isRoot()) {
      int[] owner = FolderAccess.ownerOf(workspace);
      held.add("the workspace's owner", () -> FolderAccess.giveTo(workspace, owner[0], owner[1]));
      FolderAccess.giveTo(workspace, user.get().uid(), user.get().gid().orElse(-1));
      log.debug("workspace {} given to uid {}", workspace, user.get().uid());
    }
  }
}
