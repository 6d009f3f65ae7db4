package io.proteus.testkit;

import io.proteus.spi.BuildFiles;
import io.proteus.spi.transport.FilesPublisher;
import io.proteus.spi.transport.FilesRef;
import io.proteus.spi.transport.FilesResolver;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Build files passed by reference inside one JVM: the publisher names each job's files {@code
 * memory:/jobs/<job>} and the resolver hands back the very {@link BuildFiles} the core published.
 * Keeps the files of the last {@link #CAPACITY} jobs. Thread-safe.
 */
public final class InMemoryFiles implements FilesPublisher, FilesResolver {
  /** How many jobs' files it keeps. */
  public static final int CAPACITY = 10_000;

  private final Map<URI, BuildFiles> published =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<URI, BuildFiles> eldest) {
          return size() > CAPACITY;
        }
      };

  @Override
  public synchronized FilesRef publish(FilesPublisher.Request request) {
    URI name =
        URI.create(
            "memory:/jobs/" + URLEncoder.encode(request.job().value(), StandardCharsets.UTF_8));
    published.put(name, request.files());
    return FilesRef.at(name);
  }

  @Override
  public synchronized BuildFiles resolve(FilesRef ref) {
    BuildFiles files = published.get(ref.location());
    if (files != null) {
      return files;
    }
    return path -> {
      throw new NoSuchFileException(path, null, "nothing published at " + ref.location());
    };
  }
}
