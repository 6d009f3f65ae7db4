package io.proteus.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Removes what engines on this machine left behind when their process died. */
public final class Reaper {
  private static final Logger log = LoggerFactory.getLogger(Reaper.class);

  private Reaper() {}

  /** Removes leftovers of dead engines; returns how many. */
  public static int removeLeftovers(Daemon daemon) {
    DockerClient client = daemon.calls();
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
      } catch (RuntimeException e) {
        log.warn("cannot remove leftover container {}: {}", c.getId(), Errors.describe(e));
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
        } catch (RuntimeException e) {
          log.warn("cannot remove leftover network {}: {}", network.getName(), Errors.describe(e));
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
}
