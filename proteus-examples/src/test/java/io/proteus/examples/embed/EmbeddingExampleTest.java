package io.proteus.examples.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.JobResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingExampleTest {
  @TempDir Path tmp;

  @Test
  void theReadmeExampleRuns() throws Exception {
    Path build = Files.createDirectories(tmp.resolve("build"));
    Files.writeString(build.resolve("hello.sh"), "#!/bin/sh\necho hello\n");
    JobResult result = EmbeddingExample.runOnce(build, tmp.resolve("work"));
    assertThat(result.allPassed()).as(result.toString()).isTrue();
    assertThat(result.tasks().getFirst().log()).isPresent();
  }
}
