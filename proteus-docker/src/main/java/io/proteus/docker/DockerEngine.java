package io.proteus.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.proteus.EngineException;
import io.proteus.docker.internal.ContainerPlan;
import io.proteus.docker.internal.ContainerRun;
import io.proteus.docker.internal.Hardening;
import io.proteus.docker.internal.Images;
import io.proteus.docker.internal.Labels;
import io.proteus.docker.internal.PolicyCheck;
import io.proteus.docker.internal.Sidecars;
import io.proteus.model.ContainerRequest;
import io.proteus.model.ServiceRequest;
import io.proteus.spi.Engine;
import io.proteus.spi.ExecSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each task in its own container through the Docker Engine API (never the {@code docker}
 * command). The workspace is bind-mounted at its own path as the working directory; everything else
 * is hardened: no privileges, every capability dropped, no new privileges, a read-only root with a
 * writable {@code /tmp}, no network unless the task asks and the policy allows, and memory, CPU,
 * process and time limits. Containers are labelled; a new engine removes what an earlier, crashed
 * process on this machine left behind. Thread-safe.
 */
public final class DockerEngine implements Engine {
  private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);

  private final DockerClient client;
  private final DockerPolicy policy;
  private final Optional<DockerCaches> caches;
  private final List<ProxyHook> hooks;
  private final Set<ContainerRun> running = ConcurrentHashMap.newKeySet();

  private DockerEngine(
      DockerClient client,
      DockerPolicy policy,
      Optional<DockerCaches> caches,
      List<ProxyHook> hooks) {
    this.client = client;
    this.policy = policy;
    this.caches = caches;
    this.hooks = List.copyOf(hooks);
  }

  /**
   * Connects to the daemon at {@code DOCKER_HOST} (or the default socket), checks it answers, and
   * removes what crashed engines on this machine left behind.
   *
   * @throws EngineException when no daemon answers
   */
  public static DockerEngine connect(DockerPolicy policy) {
    return connect(policy, Optional.empty());
  }

  /**
   * As {@link #connect(DockerPolicy)}, to a daemon at {@code dockerHost} (such as {@code
   * unix:///var/run/docker.sock}).
   */
  public static DockerEngine connect(DockerPolicy policy, Optional<String> dockerHost) {
    return connect(policy, dockerHost, Optional.empty());
  }

  /**
   * As {@link #connect(DockerPolicy, Optional)}, with cache folders that tasks can mount; without
   * them a task that asks for a cache is refused.
   */
  public static DockerEngine connect(
      DockerPolicy policy, Optional<String> dockerHost, Optional<DockerCaches> caches) {
    return connect(policy, dockerHost, caches, List.of());
  }

  /** As above, with proxy hooks every task can call on its private network. */
  public static DockerEngine connect(
      DockerPolicy policy,
      Optional<String> dockerHost,
      Optional<DockerCaches> caches,
      List<ProxyHook> hooks) {
    DockerClient client = client(dockerHost);
    DockerEngine engine = new DockerEngine(client, policy, caches, hooks);
    int removed = engine.removeLeftovers();
    if (removed > 0) {
      log.info("removed {} containers an earlier, crashed engine left behind", removed);
    }
    return engine;
  }

  /** A client for the daemon, checked with a ping. */
  static DockerClient client(Optional<String> dockerHost) {
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder();
    dockerHost.ifPresent(config::withDockerHost);
    DefaultDockerClientConfig cfg = config.build();
    var http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(cfg.getDockerHost())
            .sslConfig(cfg.getSSLConfig())
            .connectionTimeout(Duration.ofSeconds(10))
            .build();
    DockerClient client = DockerClientImpl.getInstance(cfg, http);
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      throw new EngineException(
          "no Docker daemon answers at "
              + cfg.getDockerHost()
              + " (set DOCKER_HOST, or start dockerd): "
              + e.getMessage(),
          e);
    }
    return client;
  }

  /** Whether a Docker daemon answers at {@code DOCKER_HOST} or the default socket. */
  public static boolean available() {
    try {
      client(Optional.empty()).close();
      return true;
    } catch (EngineException | IOException e) {
      return false;
    }
  }

  /**
   * Removes containers and networks made by engines on this machine whose process is gone; returns
   * how many.
   */
  public int removeLeftovers() {
    int removed = 0;
    String host = Labels.hostName();
    List<Container> mine =
        client
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(Labels.MANAGED, "true"))
            .exec();
    for (Container c : mine) {
      Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
      if (!host.equals(labels.get(Labels.HOST))) {
        continue;
      }
      long pid = parsePid(labels.get(Labels.PID));
      if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        continue;
      }
      try {
        client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        removed++;
      } catch (DockerException e) {
        log.warn("cannot remove leftover container {}: {}", c.getId(), e.getMessage());
      }
    }
    for (var network :
        client.listNetworksCmd().withFilter("label", List.of(Labels.MANAGED + "=true")).exec()) {
      Map<String, String> labels = network.getLabels() == null ? Map.of() : network.getLabels();
      long pid = parsePid(labels.get(Labels.PID));
      if (host.equals(labels.get(Labels.HOST))
          && !(pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))) {
        try {
          client.removeNetworkCmd(network.getId()).exec();
          removed++;
        } catch (DockerException e) {
          log.warn("cannot remove leftover network {}: {}", network.getName(), e.getMessage());
        }
      }
    }
    return removed;
  }

  private static long parsePid(String s) {
    try {
      return s == null ? -1 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public DockerExec start(ExecSpec spec) {
    String task = spec.environment().getOrDefault("PROTEUS_TASK_ID", "unknown");
    ContainerPlan plan =
        PolicyCheck.check(
            policy,
            spec.container(),
            "proteus-build/"
                + Integer.toHexString(spec.workspace().toString().hashCode())
                + ":"
                + Long.toHexString(System.nanoTime()));
    Map<String, String> labels = Labels.mine(task);
    String image = Images.ensure(client, policy, plan, spec.workspace(), labels);
    String workspace = spec.workspace().toAbsolutePath().toString();
    if (plan.user().isPresent()) {
      openWorkspace(spec);
    }
    List<DockerCaches.Lease> leases = leaseCaches(spec);
    List<AutoCloseable> held = new ArrayList<>(leases);
    if (plan.mode() == RuntimeMode.BUILD) {
      held.add(() -> removeImage(image));
    }
    List<String> proxyEnv = new ArrayList<>();
    try {
      Optional<Sidecars> sidecars = Optional.empty();
      List<ServiceRequest> services =
          spec.container().map(ContainerRequest::services).orElse(List.of());
      if (!services.isEmpty() || !hooks.isEmpty()) {
        sidecars =
            Optional.of(
                Sidecars.start(
                    client, policy, services, hooks, spec.workspace(), labels, proxyEnv));
        held.add(sidecars.get());
      }
      return launch(
          spec, plan, image, workspace, held, labels, sidecars.map(Sidecars::network), proxyEnv);
    } catch (RuntimeException e) {
      closeAll(held);
      throw e instanceof EngineException ee
          ? ee
          : new EngineException("cannot run the task in a container: " + e, e);
    }
  }

  private DockerExec launch(
      ExecSpec spec,
      ContainerPlan plan,
      String image,
      String workspace,
      List<AutoCloseable> held,
      Map<String, String> labels,
      Optional<String> privateNetwork,
      List<String> proxyEnv) {
    List<DockerCaches.Lease> leases =
        held.stream()
            .filter(h -> h instanceof DockerCaches.Lease)
            .map(h -> (DockerCaches.Lease) h)
            .toList();
    List<Bind> binds = new ArrayList<>();
    binds.add(new Bind(workspace, new Volume(workspace)));
    for (int i = 0; i < leases.size(); i++) {
      var mount = spec.container().orElseThrow().caches().get(i);
      binds.add(
          new Bind(
              leases.get(i).folder().path().toAbsolutePath().toString(),
              new Volume(mount.path()),
              mount.exclusive() ? AccessMode.rw : AccessMode.ro));
    }
    HostConfig host =
        Hardening.hostConfig(plan, privateNetwork.orElse(plan.network() ? "bridge" : "none"))
            .withBinds(binds);
    List<String> env = new ArrayList<>();
    spec.environment().forEach((k, v) -> env.add(k + "=" + v));
    env.addAll(proxyEnv);
    List<String> command = spec.command();
    if (spec.stdin().isPresent()) {
      command = stdinFromFile(spec, env);
    }
    var create =
        client
            .createContainerCmd(image)
            .withCmd(command)
            .withEnv(env)
            .withWorkingDir(workspace)
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
      if (privateNetwork.isPresent() && plan.network()) {
        client.connectToNetworkCmd().withNetworkId("bridge").withContainerId(id).exec();
      }
    } catch (DockerException e) {
      throw new EngineException(
          "cannot create a container from " + image + ": " + e.getMessage(), e);
    }
    ContainerRun[] self = new ContainerRun[1];
    ContainerRun run =
        new ContainerRun(
            client,
            id,
            spec,
            () -> {
              running.remove(self[0]);
              closeAll(held);
            });
    self[0] = run;
    running.add(run);
    try {
      run.begin();
    } catch (RuntimeException e) {
      running.remove(run);
      closeAll(held);
      try {
        client.removeContainerCmd(id).withForce(true).exec();
      } catch (DockerException ignored) {
        // it may never have been made
      }
      throw new EngineException(
          "cannot start a container from " + image + ": " + e.getMessage(), e);
    }
    return run;
  }

  /**
   * Docker's attach cannot reliably close a container's stdin, so a payload is written to a file in
   * the workspace and the command runs with it as stdin through the image's {@code /bin/sh}.
   */
  private static List<String> stdinFromFile(ExecSpec spec, List<String> env) {
    java.nio.file.Path file = spec.workspace().resolve(".proteus-stdin");
    try {
      Files.write(file, spec.stdin().orElseThrow());
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      throw new EngineException("cannot write the stdin payload: " + e.getMessage(), e);
    }
    env.add("PROTEUS_STDIN_FILE=" + file.toAbsolutePath());
    List<String> wrapped =
        new ArrayList<>(
            List.of("/bin/sh", "-c", "exec \"$@\" < \"$PROTEUS_STDIN_FILE\"", "proteus-stdin"));
    wrapped.addAll(spec.command());
    return wrapped;
  }

  private void removeImage(String image) {
    try {
      client.removeImageCmd(image).withForce(true).exec();
    } catch (DockerException e) {
      log.debug("cannot remove built image {}: {}", image, e.getMessage());
    }
  }

  private static void closeAll(List<AutoCloseable> held) {
    for (AutoCloseable h : held.reversed()) {
      try {
        h.close();
      } catch (Exception e) {
        log.warn("cannot release {}: {}", h, e.getMessage());
      }
    }
  }

  private List<DockerCaches.Lease> leaseCaches(ExecSpec spec) {
    var wanted = spec.container().map(c -> c.caches()).orElse(List.of());
    if (wanted.isEmpty()) {
      return List.of();
    }
    if (caches.isEmpty()) {
      throw new EngineException(
          "the task asks for caches "
              + wanted.stream().map(m -> m.name()).toList()
              + " but this engine has no cache root");
    }
    List<DockerCaches.Lease> held = new ArrayList<>();
    try {
      for (var m : wanted) {
        held.add(caches.get().acquire(m.name(), m.exclusive(), Duration.ofMinutes(5)));
      }
    } catch (RuntimeException e) {
      held.forEach(DockerCaches.Lease::close);
      throw e;
    }
    return held;
  }

  private static void openWorkspace(ExecSpec spec) {
    try (var walk = Files.walk(spec.workspace())) {
      for (var p : walk.toList()) {
        if (!Files.isSymbolicLink(p)) {
          Files.setPosixFilePermissions(
              p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxrwxrwx" : "rwxrwxrw-"));
        }
      }
    } catch (IOException e) {
      throw new EngineException(
          "cannot open the workspace to the task's user: " + e.getMessage(), e);
    }
  }

  /** The client, for the platform's cache volumes and the tests. */
  DockerClient client() {
    return client;
  }

  @Override
  public void close() {
    running.forEach(ContainerRun::abort);
  }
}
