package io.proteus.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proteus.model.JobId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The folder of a resumable {@code proteus run --data DIR}: {@code run.json} (which build, written
 * once the build is unpacked), {@code build/} (the unpacked build), {@code store/} (the job store),
 * {@code work/} (workers, caches, storage) and {@code delivered.log} (the jobs whose results the
 * run has taken, one id per line, each forced to disk before the core is told).
 */
final class RunFolder {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FORMAT = 1;
  private static final long MAX_RUN_FILE = 64 * 1024;

  private final Path dir;
  private final Path source;

  private RunFolder(Path dir, Path source) {
    this.dir = dir;
    this.source = source;
  }

  /** Thrown when the folder cannot hold or resume a run; the message says why. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /**
   * The run kept in {@code dir}, if it holds one; empty when the folder is missing, empty, or holds
   * only what a run that died before its build was unpacked left.
   */
  static Optional<RunFolder> existing(Path dir) throws Refused, IOException {
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.exists(abs)) {
      return Optional.empty();
    }
    if (!Files.isDirectory(abs)) {
      throw new Refused(dir + " is not a folder");
    }
    Path runFile = abs.resolve("run.json");
    if (!Files.isRegularFile(runFile)) {
      try (Stream<Path> entries = Files.list(abs)) {
        List<String> names = entries.map(p -> p.getFileName().toString()).toList();
        if (names.stream().allMatch(n -> n.equals("build.tmp") || n.equals("run.json.tmp"))) {
          return Optional.empty();
        }
      }
      throw new Refused(
          dir + " is not empty and holds no run (no run.json); give an empty or new folder");
    }
    if (Files.size(runFile) > MAX_RUN_FILE) {
      throw new Refused(runFile + " is larger than " + MAX_RUN_FILE + " bytes");
    }
    JsonNode node;
    try {
      node = JSON.readTree(Files.readString(runFile, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new Refused(runFile + " is not valid JSON: " + e.getMessage());
    }
    if (node == null
        || !node.path("format").isInt()
        || node.path("format").asInt() != FORMAT
        || !node.path("source").isTextual()) {
      throw new Refused(runFile + " is not a run file of format " + FORMAT);
    }
    return Optional.of(new RunFolder(abs, Path.of(node.path("source").asText())));
  }

  /**
   * Makes a new run in {@code dir}: {@code unpack} fills the build folder it is given, which then
   * becomes {@code build/}, and {@code run.json} is written last, so a run that dies before is
   * started afresh.
   */
  static RunFolder create(Path dir, Path source, Unpack unpack) throws IOException {
    Path abs = Files.createDirectories(dir.toAbsolutePath().normalize());
    Path tmp = abs.resolve("build.tmp");
    io.proteus.core.internal.util.Trees.deleteQuietly(tmp);
    unpack.into(tmp);
    Files.move(tmp, abs.resolve("build"), StandardCopyOption.ATOMIC_MOVE);
    ObjectNode run = JSON.createObjectNode();
    run.put("format", FORMAT);
    run.put("source", source.toAbsolutePath().normalize().toString());
    Path runTmp = abs.resolve("run.json.tmp");
    write(runTmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(run));
    Files.move(runTmp, abs.resolve("run.json"), StandardCopyOption.ATOMIC_MOVE);
    force(abs);
    return new RunFolder(abs, source.toAbsolutePath().normalize());
  }

  /** Unpacks a build into a folder. */
  interface Unpack {
    void into(Path folder) throws IOException;
  }

  /** The build this run came from, as given when it started. */
  Path source() {
    return source;
  }

  /** The unpacked build. */
  Path build() {
    return dir.resolve("build");
  }

  /** The job store's folder. */
  Path store() {
    return dir.resolve("store");
  }

  /** The workers', caches' and storage's folder. */
  Path work() {
    return dir.resolve("work");
  }

  /** The jobs whose results this run has taken. */
  Set<JobId> delivered() throws IOException {
    Path log = dir.resolve("delivered.log");
    Set<JobId> out = new LinkedHashSet<>();
    if (!Files.exists(log)) {
      return out;
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    for (String line : text.substring(0, end + 1).split("\n")) {
      if (!line.isBlank()) {
        out.add(new JobId(line.strip()));
      }
    }
    return out;
  }

  /** Records that the run took {@code job}'s results; on disk when this returns. */
  void recordDelivery(JobId job) throws IOException {
    Path log = dir.resolve("delivered.log");
    try (FileChannel ch =
        FileChannel.open(
            log, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.wrap((job.value() + "\n").getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(bytes));
      ch.force(true);
    }
  }

  private static void force(Path folder) {
    try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems cannot force a folder; the rename is still atomic.
    }
  }
}
