package io.proteus.core.process;

import io.proteus.EngineException;
import io.proteus.spi.FailureKind;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Checks, before anything starts, that a command can run: its program is found on the command's own
 * {@code PATH} (or at its path), is an executable file, and, for a script, that the interpreter its
 * {@code #!} line names is there too. Errors name the file and the interpreter.
 *
 * <p>A problem with a file of the workspace (the program missing, a folder, not executable, or its
 * {@code #!} line empty or ending in a carriage return) is the build's: it is a {@link
 * FailureKind#BAD_BUILD} that is not retried. A program or interpreter missing outside the
 * workspace (not on the {@code PATH}, or a {@code #!} interpreter such as {@code /usr/bin/python3})
 * is the machine's: another worker may have it, so that error is retried.
 */
final class Launchable {
  private static final int SHEBANG_BYTES = 256;

  private Launchable() {}

  /** The command with its program resolved to the file that will run. */
  static List<String> resolve(List<String> command, Map<String, String> env, Path workdir) {
    String program = command.getFirst();
    String what = describe(command);
    Path exe;
    if (program.contains("/")) {
      exe = workdir.resolve(program);
      String problem = problem(exe);
      if (problem != null) {
        throw cannotStart(exe, workdir, "cannot start " + what + ": " + program + " " + problem);
      }
    } else {
      exe =
          onPath(program, env)
              .orElseThrow(() ->
                  new EngineException(
                      "cannot start "
                          + what
                          + ": "
                          + program
                          + " is not on the command's PATH ("
                          + env.getOrDefault("PATH", "")
                          + ")"));
    }
    checkInterpreter(exe, what, env, workdir);
    List<String> out = new ArrayList<>(command);
    if (!program.contains("/")) {
      out.set(0, exe.toString());
    }
    return out;
  }

  /**
   * An error about {@code file}: not retryable when the file is in the workspace, where it came
   * from the build, so that no other worker could run it either.
   */
  private static EngineException cannotStart(Path file, Path workdir, String message) {
    boolean inWorkspace =
        file.toAbsolutePath().normalize().startsWith(workdir.toAbsolutePath().normalize());
    return inWorkspace
        ? EngineException.nonRetryable(FailureKind.BAD_BUILD, message)
        : new EngineException(message);
  }

  private static String describe(List<String> command) {
    String s = String.join(" ", command.subList(0, Math.min(2, command.size())));
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  private static @Nullable String problem(Path p) {
    if (!Files.exists(p)) {
      return "does not exist";
    }
    if (Files.isDirectory(p)) {
      return "is a folder";
    }
    if (!Files.isExecutable(p)) {
      return "is not executable";
    }
    return null;
  }

  static Optional<Path> onPath(String program, Map<String, String> env) {
    for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir).resolve(program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static void checkInterpreter(
      Path exe, String what, Map<String, String> env, Path workdir) {
    String line;
    try (InputStream in = Files.newInputStream(exe)) {
      byte[] start = in.readNBytes(SHEBANG_BYTES);
      if (start.length < 2 || start[0] != '#' || start[1] != '!') {
        return;
      }
      int end = 2;
      while (end < start.length && start[end] != '\n') {
        end++;
      }
      line = new String(start, 2, end - 2, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new EngineException("cannot start " + what + ": cannot read " + exe + ": " + e, e);
    }
    if (line.indexOf('\r') >= 0) {
      throw cannotStart(
          exe,
          workdir,
          "cannot start "
              + what
              + ": the #! line of "
              + exe
              + " ends with a carriage return (Windows line ends), so its interpreter '"
              + line.strip()
              + "\\r' cannot be found");
    }
    String[] words = line.strip().split("[ \t]+");
    if (words.length == 0 || words[0].isEmpty()) {
      throw cannotStart(
          exe, workdir, "cannot start " + what + ": " + exe + " has an empty #! line");
    }
    String interpreter = words[0];
    Path ip = workdir.resolve(interpreter);
    String problem = problem(ip);
    if (problem != null) {
      throw cannotStart(
          ip,
          workdir,
          "cannot start "
              + what
              + ": the interpreter '"
              + interpreter
              + "' named by the #! line of "
              + exe
              + " "
              + problem);
    }
    if (ip.getFileName() != null && ip.getFileName().toString().equals("env")) {
      for (int i = 1; i < words.length; i++) {
        String w = words[i];
        if (w.startsWith("-") || w.contains("=")) {
          continue;
        }
        if (!w.contains("/") && onPath(w, env).isEmpty()) {
          throw new EngineException(
              "cannot start "
                  + what
                  + ": the interpreter '"
                  + w
                  + "' named by the #! line of "
                  + exe
                  + " is not on the command's PATH ("
                  + env.getOrDefault("PATH", "")
                  + ")");
        }
        break;
      }
    }
  }
}
