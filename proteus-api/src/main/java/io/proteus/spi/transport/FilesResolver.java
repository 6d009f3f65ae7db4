package io.proteus.spi.transport;

import io.proteus.spi.BuildFiles;
import java.nio.file.NoSuchFileException;

/**
 * Turns a {@link FilesRef} back into {@link BuildFiles} on the agent's side: in memory, the very
 * files the core published; across a network, a fetcher of the artifact server's files. Called on
 * an agent's thread for each attempt; the files it returns are opened on that attempt's thread.
 */
public interface FilesResolver {

  /** The files {@code ref} points at. Files it cannot reach fail when opened, naming why. */
  BuildFiles resolve(FilesRef ref);

  /** Resolves nothing: every file fails to open, saying no resolver is set. */
  FilesResolver NONE =
      ref ->
          relativePath -> {
            throw new NoSuchFileException(
                relativePath,
                null,
                ref.isUnpublished()
                    ? "the core published no files for this build (set a FilesPublisher)"
                    : "this agent cannot fetch " + ref.location() + " (set a FilesResolver)");
          };
}
