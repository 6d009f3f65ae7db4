package io.proteus.spi.transport;

import io.proteus.model.JobId;
import io.proteus.spi.BuildFiles;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Makes a job's build files fetchable by remote agents (registers them with an artifact server,
 * say) and says where. The core calls it on its loop for each attempt it sends across a transport:
 * it must not block, and may answer the same job twice.
 */
public interface FilesPublisher {

  /** Where an agent fetches the files of {@code request}'s job. */
  FilesRef publish(Request request);

  /**
   * Where the core keeps the whole log an agent uploaded for one attempt, if it uploaded one (see
   * {@link FilesResolver#keepLog}): the core records it with the attempt instead of the agent's own
   * path. Called on the core's loop when the attempt's end arrives: it must not block.
   *
   * @param job the job
   * @param task the task's index in the job
   * @param attempt the attempt's number, from 1
   */
  default Optional<String> keptLog(JobId job, int task, int attempt) {
    return Optional.empty();
  }

  /**
   * What to publish.
   *
   * @param job the job
   * @param files its build's files
   * @param paths the files this attempt needs (its binary and scenario), relative to the build's
   *     root; a publisher may serve more
   */
  record Request(JobId job, BuildFiles files, Set<String> paths) {
    /** Checks the fields and copies the paths. */
    public Request {
      Objects.requireNonNull(job, "job");
      Objects.requireNonNull(files, "files");
      paths = Set.copyOf(paths);
    }

    /** A request for {@code job}'s files with no path named. */
    public Request(JobId job, BuildFiles files) {
      this(job, files, Set.of());
    }
  }

  /**
   * Publishes nothing: agents are told the build's files are {@linkplain FilesRef#unpublished()}.
   */
  FilesPublisher NONE = request -> FilesRef.unpublished();
}
