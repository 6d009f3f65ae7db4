package io.proteus.spi.transport;

import io.proteus.model.TaskId;
import io.proteus.spi.BuildFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Turns a {@link FilesRef} back into {@link BuildFiles} on the agent's side: in memory, the very
 * files the core published; across a network, a fetcher of the artifact server's files. Called on
 * an agent's thread for each attempt; the files it returns are opened on that attempt's thread.
 */
public interface FilesResolver {

  /** The files {@code ref} points at. Files it cannot reach fail when opened, naming why. */
  BuildFiles resolve(FilesRef ref);

  /**
   * Hands the whole log of an ended attempt (passed, failed, timed out or killed) to the core that
   * published {@code ref}, before the attempt's end is sent. Called on the attempt's thread; it may
   * block, and should give up after bounded retries. Failures are logged by the agent and do not
   * hold back the end. By default it keeps nothing.
   *
   * @param ref the files of the attempt's dispatch
   * @param task the task
   * @param attempt the attempt's number, from 1
   * @param log the attempt's log on the agent's disk
   * @throws IOException when the log could not be handed over
   */
  default void keepLog(FilesRef ref, TaskId task, int attempt, Path log) throws IOException {}

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
