package io.proteus.model;

import io.proteus.spi.BuildFiles;
import io.proteus.spi.Reservation;
import java.util.List;

/**
 * A build an adapter submits: its plans and its files. Proteus makes one job per plan and platform.
 *
 * @param id the build's id, unique per adapter
 * @param plans the plans read from its {@code tests.json}
 * @param files where workers fetch its binaries and scenarios
 * @param reservation the storage it holds, released when its last job is archived
 */
public record Build(String id, List<TestPlan> plans, BuildFiles files, Reservation reservation) {

  /** Copies the plans. */
  public Build {
    plans = List.copyOf(plans);
  }
}
