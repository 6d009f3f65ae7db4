package io.proteus.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A build's files, as workers fetch them: a binary or a scenario by its path relative to the
 * build's root. Implementations never serve a file outside the build.
 */
public interface BuildFiles {

  /**
   * Opens one file. Called on a worker's thread, never on the core's loop.
   *
   * @param relativePath a path relative to the build's root, with {@code /} separators
   * @throws NoSuchFileException when the build has no such file or the path leaves the build
   */
  InputStream open(String relativePath) throws IOException;

  /**
   * The folder the files are in, when they are in one: a durable store records it so that a core
   * resuming the build's jobs after a restart finds the files again. Empty by default.
   */
  default Optional<Path> folder() {
    return Optional.empty();
  }

  /** A build with no files, for plans whose tests need none staged. */
  BuildFiles NONE =
      relativePath -> {
        throw new NoSuchFileException(relativePath, null, "this build has no files");
      };

  /**
   * A build whose files are in a folder; paths that leave the folder or go through links are
   * refused.
   */
  static BuildFiles ofFolder(Path root) {
    Path base = root.toAbsolutePath().normalize();
    return new BuildFiles() {
      @Override
      public InputStream open(String relativePath) throws IOException {
        Path target = base.resolve(relativePath).normalize();
        if (!target.startsWith(base) || target.equals(base)) {
          throw new NoSuchFileException(relativePath, null, "outside the build");
        }
        for (Path p = target; !p.equals(base); p = p.getParent()) {
          if (Files.isSymbolicLink(p)) {
            throw new NoSuchFileException(relativePath, null, "a link in the build");
          }
        }
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
          throw new NoSuchFileException(relativePath, null, "no such file in the build");
        }
        return Files.newInputStream(target);
      }

      @Override
      public Optional<Path> folder() {
        return Optional.of(base);
      }

      @Override
      public String toString() {
        return "files in " + base;
      }
    };
  }
}
