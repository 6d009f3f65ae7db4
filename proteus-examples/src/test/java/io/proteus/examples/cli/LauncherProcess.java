package io.proteus.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the launcher as its own process, with an environment and a temp folder the test chooses, the
 * way a user runs {@code proteus}. A run that does not end within the limit is killed and reported
 * as such.
 */
record LauncherProcess(int exitCode, String stdout, String stderr) {

  static LauncherProcess run(
      Path tmpDir, Map<String, String> env, long limitSeconds, String... args)
      throws IOException, InterruptedException {
    Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-Djava.io.tmpdir=" + tmpDir);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ProteusMain.class.getName());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(tmpDir.getParent(), "launcher", ".out");
    Path err = Files.createTempFile(tmpDir.getParent(), "launcher", ".err");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      throw new AssertionError(
          "the launcher did not end within "
              + limitSeconds
              + "s; its output:\n"
              + Files.readString(out, StandardCharsets.UTF_8)
              + Files.readString(err, StandardCharsets.UTF_8));
    }
    return new LauncherProcess(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
