package io.proteus.spi;

import io.proteus.DoNotImplement;
import io.proteus.StorageException;
import io.proteus.model.Build;
import io.proteus.model.JobId;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** What the core offers an adapter while it polls. Safe from any thread. */
@DoNotImplement
public interface AdapterContext {

  /**
   * Reserves storage under the core's budget.
   *
   * @return the reservation, or empty when the bytes do not fit now (try again on a later poll)
   * @throws StorageException when the bytes could never fit the budget
   */
  Optional<Reservation> reserve(long bytes, String purpose);

  /** A folder this adapter owns under the core's storage root, for fetched builds. */
  Path storageFolder();

  /**
   * Submits a build: one job per plan and platform. Each job is stored before this returns.
   *
   * @return the jobs' ids
   */
  List<JobId> submit(Build build);

  /** The core's clock. */
  Clock clock();
}
