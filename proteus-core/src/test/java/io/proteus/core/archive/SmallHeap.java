package io.proteus.core.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.ArchiveException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the extractor in a JVM of its own with a 64 MB heap, so a test can show that an archive is
 * handled in bounded memory. {@code main} prints {@code OK <size>} or {@code REFUSED <message>}.
 */
final class SmallHeap {
  private SmallHeap() {}

  /** What the child JVM printed and how it ended. */
  record Result(int exitCode, String output) {}

  /** {@code size ARCHIVE} or {@code extract ARCHIVE TARGET}. */
  public static void main(String[] args) {
    ArchiveExtractor x = new ArchiveExtractor(ArchiveLimits.DEFAULT);
    try {
      if (args[0].equals("size")) {
        System.out.println("OK " + x.declaredSize(Path.of(args[1])));
      } else {
        x.extract(Path.of(args[1]), Path.of(args[2]));
        System.out.println("OK");
      }
      System.exit(0);
    } catch (ArchiveException e) {
      System.out.println("REFUSED " + e.getMessage());
      System.exit(3);
    }
  }

  /** Runs {@code main} with {@code args} in a JVM with {@code -Xmx64m}. */
  static Result run(Path work, String... args) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path out = Files.createTempFile(work, "child", ".out");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                java,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + work,
                "-cp",
                cp,
                SmallHeap.class.getName()));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      boolean ended = p.waitFor(3, TimeUnit.MINUTES);
      assertThat(ended).as("the child JVM ends").isTrue();
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
