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
import java.util.regex.Pattern;

/**
 * The shell script a launcher sources, in a subshell, to run one command: it goes to the workspace,
 * drops what the shell itself exported, exports exactly the command's environment, points standard
 * input at {@code /dev/null}, and {@code exec}s the command. The file is private ({@code 0600}) and
 * deleted with {@link #delete()}. A command given standard input bytes does not run on a launcher:
 * a direct start gives it a pipe, which a file would not match (its type, seeking).
 */
final class TaskScript {
  /** What the launcher's shell (dash) exports on its own, or sets by {@code cd}. */
  private static final String UNSET = "unset PWD OLDPWD\n";

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** The bytes strings become in a command line or environment, as {@link ProcessBuilder} does. */
  static final Charset NATIVE =
      Charset.forName(System.getProperty("sun.jnu.encoding", ""), Charset.defaultCharset());

  /**
   * The most bytes of arguments and environment (with their NULs and pointers) a script may exec:
   * below 128 KiB, the least any {@code execve} may take whatever the stack limit, less room for
   * {@code unshare}'s own words. A larger command starts directly, where one too large for the
   * kernel fails to start as it always did instead of ending with the shell's code 126.
   */
  static final long MAX_EXEC_BYTES = 120 * 1024;

  private static final float MAX_BYTES_PER_CHAR = NATIVE.newEncoder().maxBytesPerChar();

  private final Path script;

  private TaskScript(Path script) {
    this.script = script;
  }

  /**
   * Whether a script can give the command exactly what a process started directly gets: every name
   * is one the shell can export (and not {@code OPTIND}, which dash checks), nothing holds a NUL
   * character (a direct start refuses those, and so says why), and arguments and environment
   * together are well within what {@code execve} takes ({@link #MAX_EXEC_BYTES}, counted at the
   * most bytes a character can take).
   */
  static boolean fits(List<String> command, Map<String, String> env, Path workspace) {
    double bytes = 0;
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (!NAME.matcher(name).matches() || name.equals("OPTIND")) {
        return false;
      }
      bytes += (name.length() + e.getValue().length() + 1.0) * MAX_BYTES_PER_CHAR + 1 + 8;
    }
    for (String arg : command) {
      if (arg.indexOf('\0') >= 0) {
        return false;
      }
      bytes += arg.length() * (double) MAX_BYTES_PER_CHAR + 1 + 8;
    }
    return bytes <= MAX_EXEC_BYTES && Files.isDirectory(workspace);
  }

  /**
   * Writes the script under {@code dir}, named after {@code id}, which the command may see: never
   * the launcher's marker. Its standard input is {@code devNull}.
   */
  static TaskScript write(
      Path dir,
      String id,
      Path workspace,
      Map<String, String> env,
      List<String> command,
      Path devNull)
      throws IOException {
    StringBuilder s = new StringBuilder(256);
    s.append("cd ").append(quote(workspace.toAbsolutePath().toString())).append(" || exit 126\n");
    s.append(UNSET);
    env.forEach((k, v) -> s.append("export ").append(k).append('=').append(quote(v)).append('\n'));
    s.append("exec");
    for (String arg : command) {
      s.append(' ').append(quote(arg));
    }
    s.append(" <").append(quote(devNull.toString())).append('\n');
    Path script = dir.resolve(id + ".sh");
    privateFile(script, s.toString().getBytes(NATIVE));
    return new TaskScript(script);
  }

  /** The script's path. */
  Path path() {
    return script;
  }

  /** Deletes the script. */
  void delete() {
    try {
      Files.deleteIfExists(script);
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
