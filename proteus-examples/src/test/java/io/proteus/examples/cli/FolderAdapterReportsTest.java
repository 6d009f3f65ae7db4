package io.proteus.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.proteus.core.ProteusCore;
import io.proteus.core.adapter.FolderAdapter;
import io.proteus.core.archive.ArchiveLimits;
import io.proteus.core.process.ProcessPlatform;
import io.proteus.core.report.JunitFlavour;
import io.proteus.core.worker.LocalWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The folder adapter's JUnit files are valid against the schema of the flavour it was given. */
class FolderAdapterReportsTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(JunitFlavour.class)
  void theFolderAdaptersReportsAreValidInEachFlavour(JunitFlavour flavour) throws Exception {
    Path inbox = Files.createDirectories(tmp.resolve("inbox"));
    Path outbox = tmp.resolve("outbox");
    Path staging = Files.createDirectories(tmp.resolve("staging/b1"));
    Files.writeString(
        staging.resolve("tests.json"),
        "{\"name\":\"p\",\"build\":\"1\",\"platforms\":[\"linux\"],\"tests\":["
            + "{\"name\":\"ok\",\"binary\":\"ok.sh\"},{\"name\":\"bad <\\\"quoted\\\">\",\"binary\":\"bad.sh\"}]}");
    for (String[] f :
        new String[][] {
          {"ok.sh", "#!/bin/sh\necho fine\nexit 0\n"},
          {"bad.sh", "#!/bin/sh\nprintf 'broken \\001 ]]> <here>\\n'\nexit 1\n"}
        }) {
      Path p = Files.writeString(staging.resolve(f[0]), f[1]);
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    try (ProteusCore core =
        ProteusCore.builder()
            .adapter(new FolderAdapter("folder", inbox, outbox, ArchiveLimits.DEFAULT, flavour))
            .worker(
                LocalWorker.builder("w1", new ProcessPlatform("linux", tmp.resolve("caches")))
                    .workRoot(tmp.resolve("work"))
                    .build())
            .storage(tmp.resolve("storage"), 1 << 30)
            .pollInterval(Duration.ofMillis(100))
            .build()
            .start()) {
      Files.move(staging, inbox.resolve("b1"));
      Path xml = outbox.resolve("b1/p-linux.junit.xml");
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(xml));
      assertThat(ReportRules.allValid(outbox, flavour)).isEqualTo(1);
      assertThat(Files.readString(xml))
          .contains("classname=\"bad &lt;&quot;quoted&quot;&gt;\"")
          .contains("broken  ]]&gt; &lt;here&gt;")
          .contains(
              flavour == JunitFlavour.JUNIT4
                  ? "hostname=\"w1\""
                  : "name=\"bad &lt;&quot;quoted&quot;&gt;.hostname\" value=\"w1\"");
    }
  }
}
