package io.proteus.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report is whole under its name or not there; a failed write says which file and leaves no
 * litter.
 */
class AtomicWriteTest {
  @TempDir Path tmp;

  List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aWriteThatFailsHalfwayLeavesTheOldFileAndNoTemporaryOne() throws IOException {
    Path file = Files.writeString(tmp.resolve("r.junit.xml"), "old");
    assertThatThrownBy(() ->
            Reports.atomicWrite(
                file,
                out -> {
                  out.write("<half".getBytes(StandardCharsets.UTF_8));
                  throw new IOException("disk full");
                }))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("r.junit.xml")
        .hasMessageContaining("disk full");
    assertThat(file).hasContent("old");
    assertThat(names()).containsExactly("r.junit.xml");
  }

  @Test
  void aWriteReplacesTheFileWhole() throws IOException {
    Path file = Files.writeString(tmp.resolve("summary.json"), "old");
    Reports.atomicWrite(file, "{}\n");
    assertThat(file).hasContent("{}");
    assertThat(names()).containsExactly("summary.json");
  }

  @Test
  void aReportThatCannotTakeItsNameIsAClearError() throws IOException {
    Files.createDirectories(tmp.resolve("summary.json/in-the-way"));
    assertThatThrownBy(() -> Reports.write(List.of(), tmp))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot write")
        .hasMessageContaining("summary.json");
    assertThat(names()).containsExactlyInAnyOrder("report.html", "summary.json");
  }

  @Test
  void aFolderThatCannotBeWrittenIsAClearError() throws IOException {
    Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
    assertThatThrownBy(() -> Reports.atomicWrite(notAFolder.resolve("r.xml"), "x"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("r.xml");
  }
}
