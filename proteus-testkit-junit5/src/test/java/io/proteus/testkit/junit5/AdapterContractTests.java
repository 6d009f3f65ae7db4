package io.proteus.testkit.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.core.adapter.FolderAdapter;
import io.proteus.core.report.Reports;
import io.proteus.model.JobResult;
import io.proteus.model.TestPlan;
import io.proteus.model.TestSpec;
import io.proteus.spi.Adapter;
import io.proteus.testkit.RecordingAdapter;
import io.proteus.testkit.junit5.contract.AdapterContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;

class AdapterContractTests {
  @Nested
  class FolderAdapterContract extends AdapterContract {
    @Override
    protected Adapter newAdapter() {
      return new FolderAdapter("folder", folder.resolve("inbox"), folder.resolve("outbox"));
    }

    @Override
    protected void offerBuild(Adapter adapter, String buildId) throws Exception {
      Path staging = Files.createDirectories(folder.resolve("staging").resolve(buildId));
      Files.writeString(
          staging.resolve("tests.json"),
          "{\"name\":\"p\",\"platforms\":[\"linux\"],\"tests\":[{\"name\":\"t\",\"binary\":\"t.sh\"}]}");
      Files.writeString(staging.resolve("t.sh"), "#!/bin/sh\n");
      Files.createDirectories(folder.resolve("inbox"));
      Files.move(staging, folder.resolve("inbox").resolve(buildId));
    }

    @Override
    protected void assertDelivered(Adapter adapter, JobResult result) {
      assertThat(
              folder
                  .resolve("outbox")
                  .resolve(result.buildId())
                  .resolve(Reports.fileStem(result) + ".summary.json"))
          .exists();
    }
  }

  @Nested
  class RecordingAdapterContract extends AdapterContract {
    @Override
    protected Adapter newAdapter() {
      return new RecordingAdapter("recording");
    }

    @Override
    protected void offerBuild(Adapter adapter, String buildId) {
      ((RecordingAdapter) adapter)
          .offer(
              buildId,
              io.proteus.spi.BuildFiles.NONE,
              100,
              new TestPlan(
                  "p",
                  "1",
                  List.of("linux"),
                  "default",
                  Optional.empty(),
                  List.of(TestSpec.of("t", "bin", Optional.empty(), List.of()))));
    }

    @Override
    protected void assertDelivered(Adapter adapter, JobResult result) {
      assertThat(((RecordingAdapter) adapter).delivered()).contains(result);
    }
  }
}
