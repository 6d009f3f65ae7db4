package io.proteus.core.process;

import io.proteus.EngineException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which containment a machine gives: probed once per JVM by running {@code unshare} the ways it
 * could work, and said once in the log.
 */
record Isolation(String description, List<String> prefix) {
  private static final Logger log = LoggerFactory.getLogger(Isolation.class);
  private static final Set<String> announced = ConcurrentHashMap.newKeySet();

  static final Isolation TREE = new Isolation("process tree kill (no PID namespace)", List.of());

  boolean namespaced() {
    return !prefix.isEmpty();
  }

  /** The command, run inside this containment. */
  List<String> wrap(List<String> command) {
    if (prefix.isEmpty()) {
      return command;
    }
    List<String> out = new ArrayList<>(prefix);
    out.add("--");
    out.addAll(command);
    return out;
  }

  /** The containment an engine with this setting uses. */
  static Isolation choose(Containment wanted) {
    Isolation chosen =
        switch (wanted) {
          case PROCESS_TREE -> TREE;
          case AUTO -> namespace().orElse(TREE);
          case PID_NAMESPACE ->
              namespace()
                  .orElseThrow(() ->
                      new EngineException(
                          "PID namespaces are not available here: 'unshare --pid --fork"
                              + " --kill-child' and its --user variant both failed"));
        };
    if (announced.add(chosen.description)) {
      log.info("process containment: {}", chosen.description);
    }
    return chosen;
  }

  /** A PID namespace, if this machine gives one. Probed once. */
  static Optional<Isolation> namespace() {
    return Probe.RESULT;
  }

  /** Holds the probe's answer; the class loads, and so probes, on first use. */
  private static final class Probe {
    static final Optional<Isolation> RESULT = probe();
  }

  private static Optional<Isolation> probe() {
    Optional<Path> unshare = onPath("unshare");
    if (unshare.isEmpty()) {
      log.debug("no unshare on PATH");
      return Optional.empty();
    }
    String u = unshare.get().toString();
    List<List<String>> candidates =
        List.of(
            List.of(u, "--pid", "--fork", "--kill-child"),
            List.of(u, "--user", "--map-root-user", "--pid", "--fork", "--kill-child"));
    for (List<String> c : candidates) {
      if (works(c, u)) {
        return Optional.of(new Isolation("PID namespace (" + String.join(" ", c) + ")", c));
      }
    }
    return Optional.empty();
  }

  private static boolean works(List<String> prefix, String unshare) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of("--", unshare, "--version"));
    Process p = null;
    try {
      p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        log.debug("{} did not answer within 10 s", cmd);
        return false;
      }
      return p.exitValue() == 0;
    } catch (Exception e) {
      log.debug("{} failed: {}", cmd, e.toString());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return false;
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
    }
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    List<String> dirs =
        new ArrayList<>(List.of((path == null ? "" : path).split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
