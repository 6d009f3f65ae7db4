package io.proteus.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import io.proteus.EngineException;
import io.proteus.docker.DockerPolicy;
import io.proteus.model.ContainerRequest;
import io.proteus.model.ServiceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's private, internal network (no way out): one hardened container per sidecar service on
 * it, reachable by the service's name, and the engine's proxy hooks served on its gateway. Closing
 * removes them all.
 */
public final class Sidecars implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sidecars.class);

  private final DockerClient client;
  private final String network;
  private final List<String> containers = new ArrayList<>();
  private final List<com.sun.net.httpserver.HttpServer> proxies = new ArrayList<>();
  private final List<java.util.concurrent.ExecutorService> executors = new ArrayList<>();

  private Sidecars(DockerClient client, String network) {
    this.client = client;
    this.network = network;
  }

  /** The network the task's container joins. */
  public String network() {
    return network;
  }

  /**
   * Starts the services the plan asks for (every image checked against the policy first) and serves
   * the proxy hooks on the network's gateway; adds each hook's address to {@code env}.
   */
  public static Sidecars start(
      Daemon daemon,
      DockerPolicy policy,
      List<ServiceRequest> services,
      List<io.proteus.docker.ProxyHook> hooks,
      Map<String, String> labels,
      List<String> env) {
    DockerClient client = daemon.calls();
    List<ContainerPlan> plans = new ArrayList<>();
    for (ServiceRequest s : services) {
      if (!s.name().matches("[a-z0-9][a-z0-9-]{0,62}")) {
        throw PolicyCheck.refused("a service name must be a host name: " + Labels.clean(s.name()));
      }
      plans.add(
          PolicyCheck.check(policy, Optional.of(ContainerRequest.image(s.image())), "unused:0"));
    }
    String name = "proteus-net-" + UUID.randomUUID().toString().substring(0, 12);
    try {
      client.createNetworkCmd().withName(name).withInternal(true).withLabels(labels).exec();
    } catch (RuntimeException e) {
      throw new EngineException(
          "cannot create a private network for the task's services: " + Errors.describe(e), e);
    }
    Sidecars sidecars = new Sidecars(client, name);
    try {
      if (!hooks.isEmpty()) {
        String gateway =
            client
                .inspectNetworkCmd()
                .withNetworkId(name)
                .exec()
                .getIpam()
                .getConfig()
                .getFirst()
                .getGateway();
        for (var hook : hooks) {
          var server =
              com.sun.net.httpserver.HttpServer.create(
                  new java.net.InetSocketAddress(gateway, 0), 16);
          server.createContext("/", hook.handler());
          var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
          sidecars.executors.add(executor);
          server.setExecutor(executor);
          server.start();
          sidecars.proxies.add(server);
          env.add(hook.variable() + "=http://" + gateway + ":" + server.getAddress().getPort());
        }
      }
      for (int i = 0; i < services.size(); i++) {
        sidecars.run(
            services.get(i), plans.get(i), Images.ensure(daemon, policy, plans.get(i)), labels);
      }
    } catch (RuntimeException | java.io.IOException e) {
      sidecars.close();
      throw e instanceof EngineException ee
          ? ee
          : new EngineException("cannot start the task's services: " + e.getMessage(), e);
    }
    return sidecars;
  }

  private void run(ServiceRequest s, ContainerPlan plan, String image, Map<String, String> labels) {
    HostConfig host = Hardening.hostConfig(plan, network);
    List<String> env = new ArrayList<>();
    s.environment().forEach((k, v) -> env.add(k + "=" + v));
    var create =
        client
            .createContainerCmd(image)
            .withEnv(env)
            .withLabels(labels)
            .withHostConfig(host)
            .withAliases(s.name())
            .withHostName(s.name());
    if (!s.command().isEmpty()) {
      create = create.withCmd(s.command());
    }
    String id = create.exec().getId();
    containers.add(id);
    client.startContainerCmd(id).exec();
  }

  @Override
  public void close() {
    proxies.forEach(p -> p.stop(0));
    executors.forEach(java.util.concurrent.ExecutorService::shutdownNow);
    for (String id : containers) {
      try {
        client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
      } catch (NotFoundException e) {
        // already gone
      } catch (RuntimeException e) {
        log.warn("cannot remove service container {}: {}", id, Errors.describe(e));
      }
    }
    try {
      client.removeNetworkCmd(network).exec();
    } catch (NotFoundException e) {
      // already gone
    } catch (RuntimeException e) {
      log.warn("cannot remove network {}: {}", network, Errors.describe(e));
    }
  }
}
