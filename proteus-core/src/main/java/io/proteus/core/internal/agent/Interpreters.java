package io.proteus.core.internal.agent;

import io.proteus.EngineException;
import io.proteus.spi.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Picks how to run a scenario: {@code .js} with node, {@code .sh} with sh, {@code .py} with
 * python3, a file starting with {@code #!} by itself. A scenario that is none of these is a bad
 * build, not retried.
 */
public final class Interpreters {
  private Interpreters() {}

  /** The command that runs {@code script} with {@code args}. */
  public static List<String> command(Path script, List<String> args) {
    String n = script.getFileName().toString().toLowerCase(Locale.ROOT);
    List<String> cmd = new ArrayList<>();
    if (n.endsWith(".js") || n.endsWith(".mjs") || n.endsWith(".cjs")) {
      cmd.add("node");
    } else if (n.endsWith(".sh")) {
      cmd.add("sh");
    } else if (n.endsWith(".py")) {
      cmd.add("python3");
    } else if (!hasShebang(script)) {
      throw EngineException.nonRetryable(
          FailureKind.BAD_BUILD,
          "no interpreter for scenario "
              + script.getFileName()
              + ": use .js, .sh or .py, or start it with #!");
    }
    cmd.add(script.toString());
    cmd.addAll(args);
    return cmd;
  }

  private static boolean hasShebang(Path script) {
    try (InputStream in = Files.newInputStream(script)) {
      return new String(in.readNBytes(2), StandardCharsets.US_ASCII).equals("#!");
    } catch (IOException e) {
      throw new EngineException("cannot read scenario " + script.getFileName() + ": " + e, e);
    }
  }
}
