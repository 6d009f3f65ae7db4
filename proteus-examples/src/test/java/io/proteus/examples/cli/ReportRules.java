package io.proteus.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.core.report.JunitFlavour;
import io.proteus.testkit.JunitXmlRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Checks every JUnit file a run wrote against its flavour's schema rules. */
final class ReportRules {
  private ReportRules() {}

  /** The JUnit files under {@code dir}, none when it does not exist. */
  static List<Path> junitFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".junit.xml")).sorted().toList();
    }
  }

  /** Every JUnit file under {@code dir} is valid in {@code flavour}; returns how many there are. */
  static int allValid(Path dir, JunitFlavour flavour) throws IOException {
    List<Path> files = junitFiles(dir);
    for (Path f : files) {
      JunitXmlRules.check(f, flavour);
    }
    try (Stream<Path> s = Files.walk(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .as("no temporary file is left in " + dir)
          .noneMatch(n -> n.endsWith(".tmp"));
    } catch (java.nio.file.NoSuchFileException e) {
      // nothing was written
    }
    return files.size();
  }
}
