package io.proteus.core.artifacts;

import io.proteus.core.internal.artifacts.FilePaths;
import io.proteus.core.internal.artifacts.ListedFiles;
import io.proteus.model.JobId;
import io.proteus.spi.ProteusEvent;
import io.proteus.spi.ProteusListener;
import io.proteus.spi.transport.FilesPublisher;
import io.proteus.spi.transport.FilesRef;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each job's build files on an {@link ArtifactServer} for remote agents: the first
 * attempt of a job registers it with a fresh token, and each attempt adds the files it needs (its
 * binary and scenario) to what the job serves; nothing else of the build is served. The dispatch
 * carries the job's base URL and token and no manifest: agents fetch the job's manifest, with the
 * sizes and digests the server makes, then the files. Register it as a listener too, so that a
 * finished job's files stop being served. Never blocks: digests are made on the server's threads.
 * The attempt logs agents upload (give the server a log root) are what the core records with each
 * attempt.
 */
public final class ArtifactPublisher implements FilesPublisher, ProteusListener {
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactPublisher.class);

  private final ArtifactServer server;
  private final Map<JobId, Published> jobs = new ConcurrentHashMap<>();

  private record Published(ArtifactServer.Registration registration, ListedFiles files) {}

  private ArtifactPublisher(ArtifactServer server) {
    this.server = server;
  }

  /** A publisher onto {@code server}, which must be started before the core sends work. */
  public static ArtifactPublisher on(ArtifactServer server) {
    return new ArtifactPublisher(server);
  }

  @Override
  public FilesRef publish(Request request) {
    JobId job = request.job();
    if (!FilePaths.isJobId(job.value())) {
      LOG.warn("job {} cannot be served by the artifact server: its id is not a slug", job);
      return FilesRef.unpublished();
    }
    try {
      Published p =
          jobs.computeIfAbsent(
              job,
              j -> {
                ListedFiles files =
                    new ListedFiles(j, request.files(), request.paths(), server.maxFileBytes());
                return new Published(server.put(j, files), files);
              });
      if (p.files().add(request.paths())) {
        server.filesChanged(job);
      }
      return new FilesRef(
          p.registration().baseUrl(), Optional.of(p.registration().token()), Map.of());
    } catch (IllegalArgumentException e) {
      LOG.warn("job {}'s files cannot be served: {}", job, e.getMessage());
      return FilesRef.unpublished();
    }
  }

  /** The log an agent uploaded for this attempt, where the server keeps it. */
  @Override
  public Optional<String> keptLog(JobId job, int task, int attempt) {
    return server.log(job, task, attempt).map(Path::toString);
  }

  /** Stops serving a job's files once it finished. */
  @Override
  public void onEvent(ProteusEvent event) {
    if (event instanceof ProteusEvent.JobFinished f) {
      JobId job = f.result().id();
      if (jobs.remove(job) != null) {
        server.unregister(job);
      }
    }
  }

  /** How many jobs are being served. */
  public int jobs() {
    return jobs.size();
  }
}
