package io.proteus.core.internal.agent;

import io.proteus.EngineException;
import io.proteus.core.internal.util.Confinement;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Private folders, staged files and the environment of an attempt. */
final class Workspaces {
  private Workspaces() {}

  /**
   * Makes {@code dir} (and its missing parents) readable, writable and searchable by its owner
   * only, whether it is new or was left by an earlier run.
   */
  static void createPrivate(Path dir) throws IOException {
    Path parent = dir.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      createPrivate(parent);
    }
    try {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(dir + " exists and is not a folder", e);
      }
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
      return;
    }
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its own defaults apply
    }
  }

  /** Copies {@code relative} from the build into the workspace, executable; returns where. */
  static Path stage(DispatchRequest request, Path workspace, String relative) throws IOException {
    Path dest =
        Confinement.below(workspace, relative)
            .orElseThrow(() ->
                EngineException.nonRetryable(
                    FailureKind.BAD_BUILD, "path leaves the workspace: " + relative));
    if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
      return dest;
    }
    Files.createDirectories(dest.getParent());
    try (InputStream in = request.files().open(relative)) {
      Files.copy(in, dest, StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchFileException e) {
      throw EngineException.nonRetryable(
          FailureKind.BAD_BUILD,
          "the build has no file '"
              + relative
              + "'"
              + (e.getReason() == null ? "" : " (" + e.getReason() + ")"));
    }
    try {
      Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (UnsupportedOperationException ignored) {
      if (!dest.toFile().setExecutable(true)) {
        throw new IOException("cannot make " + dest + " executable");
      }
    }
    return dest;
  }

  /** The variables of the scenario contract, on top of the test's own. */
  static Map<String, String> environment(
      DispatchRequest request, Path workspace, Path binary, Path metadata, Path results) {
    Map<String, String> env = new TreeMap<>();
    request
        .test()
        .metadata()
        .forEach((k, v) -> {
          if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            env.put(
                "PROTEUS_META_" + k.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"),
                String.valueOf(v));
          }
        });
    env.putAll(request.test().environment());
    env.put("PROTEUS_TEST_NAME", request.test().name());
    env.put("PROTEUS_TASK_ID", request.task().toString());
    env.put("PROTEUS_ATTEMPT", Integer.toString(request.attempt()));
    env.put("PROTEUS_PLATFORM", request.platform());
    env.put("PROTEUS_WORKSPACE", workspace.toString());
    env.put("PROTEUS_BINARY", binary.toString());
    env.put("PROTEUS_METADATA", metadata.toString());
    env.put("PROTEUS_RESULTS", results.toString());
    env.put("PROTEUS_EXPECTATIONS", String.join(",", request.test().expectations()));
    return env;
  }
}
