package io.proteus.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.spi.CacheRequest;
import io.proteus.spi.EngineContext;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessPlatformTest {
  @TempDir Path tmp;

  @Test
  void cacheNamesNeverLeaveTheCacheRoot() {
    ProcessPlatform p = new ProcessPlatform("linux", tmp.resolve("caches"));
    for (String bad : new String[] {"..", ".", "a/b", "x".repeat(201)}) {
      assertThatThrownBy(() -> p.newCacheFolder(new CacheRequest(bad, true)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(tmp.resolve("caches")).doesNotExist();
    assertThat(p.newCacheFolder(new CacheRequest("m2.repo", true)).name()).isEqualTo("m2.repo");
  }

  @Test
  void itsEnginesUseItsOptions() {
    ProcessOptions o = ProcessOptions.defaults().withPassEnvironment("JAVA_HOME");
    var engine =
        (ProcessEngine) new ProcessPlatform("linux", tmp, o).newEngine(new EngineContext("w", tmp));
    assertThat(engine.options()).isEqualTo(o);
  }

  @Test
  void optionsRefuseWhatTheyCannotMean() {
    assertThatThrownBy(() -> ProcessOptions.defaults().withPassEnvironment("*"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProcessOptions.defaults().withPassEnvironment("A-B"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProcessOptions.defaults().withMaxLineBytes(10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ProcessOptions.defaults().withPassEnvironment("JAVA_*").passes("JAVA_HOME"))
        .isTrue();
    assertThat(ProcessOptions.defaults().passes("AWS_SECRET_ACCESS_KEY")).isFalse();
  }

  @Test
  void aCacheFolderCountsItsOwnFilesNotWhatItsLinksPointTo() throws Exception {
    java.nio.file.Path big = java.nio.file.Files.write(tmp.resolve("big.bin"), new byte[1 << 20]);
    var folder =
        new ProcessPlatform("linux", tmp.resolve("caches"))
            .newCacheFolder(new CacheRequest("c", true));
    java.nio.file.Files.writeString(folder.path().resolve("own.txt"), "12345");
    java.nio.file.Files.createSymbolicLink(folder.path().resolve("link"), big);
    assertThat(folder.size()).isEqualTo(5);
  }
}
