package io.proteus.core.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored job's run reference: a globally unique id the job gets with its first write, and the
 * core that adopted the run last. A core that resumes the job from the store adopts it: the id
 * stays, the adopter and the time change, and the job's journal records the change.
 *
 * @param id unique across stores and machines
 * @param adoptedBy the id of the core that adopted the run (see {@link
 *     FileJobStore.Builder#coreId})
 * @param adoptedAt when it did
 */
public record RunRef(UUID id, String adoptedBy, Instant adoptedAt) {

  /** The reference as {@code ID@CORE}. */
  @Override
  public String toString() {
    return id + "@" + adoptedBy;
  }
}
