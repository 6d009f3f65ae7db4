package io.proteus.core.artifacts;

import io.proteus.ArtifactException;
import io.proteus.model.JobId;
import io.proteus.model.TaskId;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.transport.FilesRef;
import io.proteus.spi.transport.FilesResolver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An agent's side of {@link ArtifactPublisher}: the files of a dispatch, fetched from the artifact
 * server named in it through an {@link ArtifactFetcher} (its content-addressed cache, digests,
 * resumes and retries). The dispatch's manifest is used when it has one; otherwise the job's
 * manifest is fetched once per attempt, on the first file opened. Each ended attempt's whole log is
 * uploaded to the same server, so the core keeps it with the task.
 */
public final class ArtifactResolver implements FilesResolver {
  private final ArtifactFetcher fetcher;

  private ArtifactResolver(ArtifactFetcher fetcher) {
    this.fetcher = fetcher;
  }

  /** A resolver that fetches through {@code fetcher}. */
  public static ArtifactResolver using(ArtifactFetcher fetcher) {
    return new ArtifactResolver(fetcher);
  }

  @Override
  public BuildFiles resolve(FilesRef ref) {
    if (ref.isUnpublished() || ref.credential().isEmpty()) {
      return FilesResolver.NONE.resolve(ref);
    }
    return new Fetched(ref);
  }

  /** Uploads the attempt's log to the job's artifact server. */
  @Override
  public void keepLog(FilesRef ref, TaskId task, int attempt, Path log) throws IOException {
    if (ref.isUnpublished() || ref.credential().isEmpty()) {
      return;
    }
    try {
      fetcher.uploadLog(ref.location(), ref.credential().get(), task.index(), attempt, log);
    } catch (ArtifactException e) {
      throw new IOException("the core did not take the log: " + e.getMessage(), e);
    }
  }

  private final class Fetched implements BuildFiles {
    private final FilesRef ref;
    private @Nullable BuildFiles files;

    Fetched(FilesRef ref) {
      this.ref = ref;
    }

    @Override
    public InputStream open(String relativePath) throws IOException {
      try {
        return files().open(relativePath);
      } catch (ArtifactException e) {
        if (e.reason() == ArtifactException.Reason.NOT_FOUND) {
          NoSuchFileException missing =
              new NoSuchFileException(relativePath, null, "the core serves no such file");
          missing.initCause(e);
          throw missing;
        }
        throw new IOException(
            "cannot fetch " + relativePath + " from " + ref.location() + ": " + e.getMessage(), e);
      }
    }

    private synchronized BuildFiles files() {
      if (files == null) {
        String token = ref.credential().orElseThrow();
        Manifest manifest =
            ref.manifest().isEmpty()
                ? fetcher.manifest(ref.location(), token)
                : fromRef(ref.manifest());
        files = fetcher.files(ref.location(), token, manifest);
      }
      return files;
    }
  }

  private static Manifest fromRef(Map<String, FilesRef.FileInfo> listed) {
    List<Manifest.Entry> entries = new ArrayList<>();
    listed.forEach((path, info) ->
        info.sha256().ifPresent(sha -> entries.add(new Manifest.Entry(path, info.size(), sha))));
    return new Manifest(new JobId("dispatch"), entries);
  }
}
