package io.proteus.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what engines left behind when their process died: containers, networks, volumes and built
 * images labelled by an owner that is provably gone (see {@link Owner#judge}). Things whose owner
 * is alive, or cannot be told from here (another machine or pid namespace, or labels of an older
 * engine without a start time), are left alone.
 */
public final class Reaper {
  private static final Logger log = LoggerFactory.getLogger(Reaper.class);

  private Reaper() {}

  /** Removes leftovers of dead engines; returns how many. */
  public static int removeLeftovers(Daemon daemon) {
    return removeLeftovers(daemon, Owner.current(), Owner.ProcessTable.LOCAL);
  }

  /** As above, judged from {@code self} with {@code table}. */
  public static int removeLeftovers(Daemon daemon, Owner self, Owner.ProcessTable table) {
    DockerClient client = daemon.calls();
    int[] removed = {0};
    String managed = Labels.MANAGED + "=true";
    List<Container> containers =
        client
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(Labels.MANAGED, "true"))
            .exec();
    for (Container c : containers) {
      reap(
          self,
          table,
          c.getLabels(),
          "container " + c.getId(),
          removed,
          () ->
              client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec());
    }
    for (var n : client.listNetworksCmd().withFilter("label", List.of(managed)).exec()) {
      reap(
          self,
          table,
          n.getLabels(),
          "network " + n.getName(),
          removed,
          () -> client.removeNetworkCmd(n.getId()).exec());
    }
    var volumes = client.listVolumesCmd().withFilter("label", List.of(managed)).exec().getVolumes();
    for (var v :
        volumes == null
            ? List.<com.github.dockerjava.api.command.InspectVolumeResponse>of()
            : volumes) {
      reap(
          self,
          table,
          v.getLabels(),
          "volume " + v.getName(),
          removed,
          () -> {
            try {
              client.removeVolumeCmd(v.getName()).exec();
            } catch (NotFoundException e) {
              // already removed
            }
            Mounts.deleteScratch(v.getLabels());
          });
    }
    for (Image i : client.listImagesCmd().withLabelFilter(Map.of(Labels.MANAGED, "true")).exec()) {
      reap(
          self,
          table,
          i.getLabels(),
          "image " + i.getId(),
          removed,
          () -> client.removeImageCmd(i.getId()).withForce(true).exec());
    }
    return removed[0];
  }

  private static void reap(
      Owner self,
      Owner.ProcessTable table,
      Map<String, String> labels,
      String what,
      int[] removed,
      Runnable remove) {
    var owner = Owner.fromLabels(labels == null ? Map.of() : labels);
    if (owner.isEmpty()) {
      log.debug("{} names no owner this engine can judge; left alone", what);
      return;
    }
    if (self.judge(owner.get(), table) != Owner.Liveness.GONE) {
      return;
    }
    try {
      remove.run();
      removed[0]++;
      log.info("removed {}, left by a dead engine (pid {})", what, owner.get().pid());
    } catch (NotFoundException e) {
      // already gone
    } catch (RuntimeException e) {
      log.warn("cannot remove leftover {}: {}", what, Errors.describe(e));
    }
  }
}
