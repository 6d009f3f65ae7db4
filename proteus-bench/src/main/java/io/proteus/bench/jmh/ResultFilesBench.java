package io.proteus.bench.jmh;

import io.proteus.core.internal.results.ResultFiles;
import io.proteus.model.TestCaseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Reading an attempt's result files: one folder with a JUnit XML report, a TAP stream and a JSON
 * lines file of {@code cases} cases each, a tenth of them failed with a message and a trace; and
 * the JSON lines parser alone on the same cases.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ResultFilesBench {
  /** Cases per file. */
  @Param({"200"})
  public int cases;

  private Path dir;
  private String jsonLines = "";

  /** Writes the three files. */
  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("proteus-results");
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.append("<testsuite name=\"bench\" tests=\"").append(cases).append("\">\n");
    StringBuilder tap = new StringBuilder("TAP version 13\n1..").append(cases).append('\n');
    StringBuilder json = new StringBuilder();
    for (int i = 0; i < cases; i++) {
      boolean failed = i % 10 == 0;
      xml.append("  <testcase classname=\"io.example.Case")
          .append(i / 20)
          .append("\" name=\"case")
          .append(i)
          .append("\" time=\"0.0")
          .append(i % 10)
          .append('"');
      if (failed) {
        xml.append("><failure message=\"expected 1 but was 2\">at io.example.Case.run(Case.java:")
            .append(i)
            .append(")\n  at io.example.Main.main(Main.java:3)</failure></testcase>\n");
      } else {
        xml.append("/>\n");
      }
      tap.append(failed ? "not ok " : "ok ")
          .append(i + 1)
          .append(" - case ")
          .append(i)
          .append('\n');
      json.append("{\"name\":\"case")
          .append(i)
          .append("\",\"status\":\"")
          .append(failed ? "failed\",\"message\":\"expected 1 but was 2\"" : "passed\"")
          .append(",\"duration\":0.01}\n");
    }
    xml.append("</testsuite>\n");
    Files.writeString(dir.resolve("junit.xml"), xml, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("cases.tap"), tap, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("cases.jsonl"), json, StandardCharsets.UTF_8);
    jsonLines = json.toString();
  }

  /** Deletes the folder. */
  @TearDown
  public void tearDown() {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
      Files.delete(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the whole folder: three files, three formats. */
  @Benchmark
  public List<TestCaseResult> readFolder() {
    return ResultFiles.read(dir);
  }

  /** Parses the JSON lines text alone. */
  @Benchmark
  public List<TestCaseResult> jsonLines() {
    return ResultFiles.jsonLines(jsonLines, "cases.jsonl");
  }
}
