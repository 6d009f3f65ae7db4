package io.proteus.core.internal.artifacts;

import io.proteus.core.artifacts.Manifest;
import io.proteus.model.JobId;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** The jobs the server serves, by id, each with its token, its files and its manifest once made. */
public final class Registry {
  /** Compared with a token given for a job the server does not know, so both take the same time. */
  private static final String NO_JOB = Tokens.fresh();

  private final Map<String, Registered> jobs = new ConcurrentHashMap<>();
  private final JobFiles.ManifestLimits limits;

  /** A registry whose manifests keep to {@code limits}. */
  public Registry(JobFiles.ManifestLimits limits) {
    this.limits = limits;
  }

  /** Adds or replaces a job's registration. */
  public void put(JobId job, String token, JobFiles files) {
    jobs.put(job.value(), new Registered(job, token, files));
  }

  /** Removes a job's registration; whether there was one. */
  public boolean remove(JobId job) {
    return jobs.remove(job.value()) != null;
  }

  /**
   * The job named by a raw URL segment, if {@code token} is its token. A job id the server does not
   * know and a wrong token look the same to the caller.
   */
  public Optional<Registered> authorize(String rawJob, String token) {
    Registered r = FilePaths.isJobId(rawJob) ? jobs.get(rawJob) : null;
    boolean same = Tokens.same(r == null ? NO_JOB : r.token, token);
    return same && r != null ? Optional.of(r) : Optional.empty();
  }

  /** The registration of a job, for the host. */
  public Optional<Registered> get(JobId job) {
    return Optional.ofNullable(jobs.get(job.value()));
  }

  /** How many jobs are registered. */
  public int size() {
    return jobs.size();
  }

  /** One registered job. */
  public final class Registered {
    private final JobId job;
    private final String token;
    private final JobFiles files;
    private @Nullable Manifest manifest;

    Registered(JobId job, String token, JobFiles files) {
      this.job = job;
      this.token = token;
      this.files = files;
    }

    /** The job. */
    public JobId job() {
      return job;
    }

    /** Its files. */
    public JobFiles files() {
      return files;
    }

    /** Forgets the manifest made so far: the job's files changed. */
    public synchronized void forgetManifest() {
      manifest = null;
    }

    /** Its manifest, made on the first call and kept until {@link #forgetManifest()}. */
    public synchronized Manifest manifest() throws IOException {
      if (manifest == null) {
        manifest = files.manifest(limits);
      }
      return manifest;
    }
  }
}
