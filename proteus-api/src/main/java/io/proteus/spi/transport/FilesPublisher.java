package io.proteus.spi.transport;

import io.proteus.model.JobId;
import io.proteus.spi.BuildFiles;

/**
 * Makes a job's build files fetchable by remote agents (registers them with an artifact server,
 * say) and says where. The core calls it on its loop for each attempt it sends across a transport:
 * it must not block, and may answer the same job twice.
 */
public interface FilesPublisher {

  /** Where an agent fetches the files of {@code request}'s job. */
  FilesRef publish(Request request);

  /**
   * What to publish.
   *
   * @param job the job
   * @param files its build's files
   */
  record Request(JobId job, BuildFiles files) {}

  /**
   * Publishes nothing: agents are told the build's files are {@linkplain FilesRef#unpublished()}.
   */
  FilesPublisher NONE = request -> FilesRef.unpublished();
}
