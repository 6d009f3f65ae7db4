package io.proteus.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** No-op shell scripts and the processes that run them outside Proteus. */
final class Scripts {
  private Scripts() {}

  /** Writes {@code count} scripts {@code bin/t<i>.sh} under {@code root}, each {@code exit 0}. */
  static void write(Path root, int count) throws IOException {
    Path bin = Files.createDirectories(root.resolve("bin"));
    for (int i = 0; i < count; i++) {
      Path script = bin.resolve("t" + i + ".sh");
      Files.writeString(script, "#!/bin/sh\nexit 0\n", StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /** The path of script {@code i}, relative to the build root. */
  static String name(int i) {
    return "bin/t" + i + ".sh";
  }

  /** Runs a command to its end, its output discarded; fails unless it exits 0. */
  static void run(ProcessBuilder pb) throws IOException, InterruptedException {
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("command failed: " + pb.command());
    }
  }

  /** Deletes a folder tree, ignoring what is already gone. */
  static void delete(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
