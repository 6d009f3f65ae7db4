package io.proteus.core.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The shell script a launcher sources, in a subshell, to run one command: it goes to the workspace,
 * drops what the shell itself exported, exports exactly the command's environment, points standard
 * input at {@code /dev/null} or at a file of the spec's bytes, and {@code exec}s the command. Files
 * are private ({@code 0600}) and deleted with {@link #delete()}.
 */
final class TaskScript {
  /** What the launcher's shell (dash) exports on its own, or sets by {@code cd}. */
  private static final String UNSET = "unset PWD OLDPWD\n";

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** The bytes strings become in a command line or environment, as {@link ProcessBuilder} does. */
  static final Charset NATIVE =
      Charset.forName(System.getProperty("sun.jnu.encoding", ""), Charset.defaultCharset());

  private final Path script;
  private final @Nullable Path input;

  private TaskScript(Path script, @Nullable Path input) {
    this.script = script;
    this.input = input;
  }

  /**
   * Whether a script can give the command exactly what a process started directly gets: every name
   * is one the shell can export (and not {@code OPTIND}, which dash checks), and nothing holds a
   * NUL character (a direct start refuses those, and so says why).
   */
  static boolean fits(List<String> command, Map<String, String> env, Path workspace) {
    for (String name : env.keySet()) {
      if (!NAME.matcher(name).matches() || name.equals("OPTIND")) {
        return false;
      }
    }
    for (String arg : command) {
      if (arg.indexOf('\0') >= 0) {
        return false;
      }
    }
    return Files.isDirectory(workspace);
  }

  /**
   * Writes the script (and the stdin file) under {@code dir}, named after {@code id}, which the
   * command may see: never the launcher's marker.
   */
  static TaskScript write(
      Path dir,
      String id,
      Path workspace,
      Map<String, String> env,
      List<String> command,
      Optional<byte[]> stdin,
      Path devNull)
      throws IOException {
    Path input = null;
    String from;
    if (stdin.isPresent() || !Files.exists(devNull)) {
      input = dir.resolve(id + ".in");
      privateFile(input, stdin.orElse(new byte[0]));
      from = input.toString();
    } else {
      from = devNull.toString();
    }
    StringBuilder s = new StringBuilder(256);
    s.append("cd ").append(quote(workspace.toAbsolutePath().toString())).append(" || exit 126\n");
    s.append(UNSET);
    env.forEach((k, v) -> s.append("export ").append(k).append('=').append(quote(v)).append('\n'));
    s.append("exec");
    for (String arg : command) {
      s.append(' ').append(quote(arg));
    }
    s.append(" <").append(quote(from)).append('\n');
    Path script = dir.resolve(id + ".sh");
    try {
      privateFile(script, s.toString().getBytes(NATIVE));
    } catch (IOException e) {
      delete(input);
      throw e;
    }
    return new TaskScript(script, input);
  }

  /** The script's path. */
  Path path() {
    return script;
  }

  /** Deletes the script and its stdin file. */
  void delete() {
    delete(script);
    delete(input);
  }

  private static void delete(@Nullable Path p) {
    if (p == null) {
      return;
    }
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // a file left in the engine's private folder, which close() deletes
    }
  }

  /** {@code s} as one word for the shell: single-quoted, each {@code '} as {@code '\''}. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static void privateFile(Path p, byte[] bytes) throws IOException {
    try (OutputStream out =
        Files.newOutputStream(
            Files.createFile(
                p,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
            StandardOpenOption.WRITE)) {
      out.write(bytes);
    }
  }
}
