package io.proteus.bench.jmh;

import io.proteus.bench.Archives;
import io.proteus.core.archive.ArchiveExtractor;
import io.proteus.core.archive.ArchiveLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Safe unpacking of a tar.gz with {@link ArchiveExtractor} against GNU {@code tar -xzf} of the same
 * file. Each call unpacks into a new folder and deletes it, in both benchmarks alike.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class UnpackBench {
  /** Bytes of file content in the archive. */
  @Param({"16777216"})
  public long bytes;

  /** Files in the archive. */
  @Param({"1000"})
  public int files;

  private Path dir;
  private Path archive;
  private int round;
  private final ArchiveExtractor extractor = new ArchiveExtractor(ArchiveLimits.DEFAULT);

  /** Writes the archive. */
  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("proteus-unpack");
    archive = Archives.tarGz(dir.resolve("bench.tar.gz"), bytes, files);
  }

  /** Deletes everything. */
  @TearDown
  public void tearDown() throws IOException {
    delete(dir);
  }

  /** Unpacks with every check on. */
  @Benchmark
  public void proteus() throws IOException {
    Path target = dir.resolve("p" + round++);
    extractor.extract(archive, target);
    delete(target);
  }

  /** Unpacks with GNU tar in a child process. */
  @Benchmark
  public void gnuTar() throws IOException, InterruptedException {
    Path target = Files.createDirectory(dir.resolve("t" + round++));
    Process p =
        new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", target.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (p.waitFor() != 0) {
      throw new IOException("tar failed: " + p.exitValue());
    }
    delete(target);
  }

  private static void delete(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
