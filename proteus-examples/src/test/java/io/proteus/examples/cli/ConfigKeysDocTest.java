package io.proteus.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/distributed.md lists every key with its environment variable, and no other key. */
class ConfigKeysDocTest {
  @Test
  void theDocsListEveryKeyWithItsVariable() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "distributed.md"));
    long rows = doc.lines().filter(l -> l.startsWith("| `") && l.contains("`PROTEUS_")).count();
    assertThat(rows).isEqualTo(ConfigKeys.all().size());
    for (ConfigKey k : ConfigKeys.all()) {
      assertThat(doc).contains("| `" + k.name() + "` |").contains("`" + k.env() + "`");
      k.defaultValue()
          .filter(d -> !d.isEmpty() && !k.name().equals("worker.platform"))
          .ifPresent(
              d -> assertThat(doc).contains("| `" + k.name() + "` |").contains("`" + d + "`"));
    }
  }
}
