package io.proteus.testkit.junit5;

import io.proteus.core.store.FileJobStore;
import io.proteus.spi.JobStore;
import io.proteus.testkit.junit5.contract.JobStoreContract;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a file store, closed and opened again on its folder between the steps. */
class FileJobStoreContractTest extends JobStoreContract {
  @TempDir Path folder;
  private FileJobStore last;

  @Override
  protected JobStore newStore() {
    last = open();
    return last;
  }

  @Override
  protected JobStore reopen(JobStore current) {
    ((FileJobStore) current).close();
    last = open();
    return last;
  }

  /** The contract's jobs are dated 2026-01-01: a retention that keeps them. */
  private FileJobStore open() {
    return FileJobStore.builder(folder.resolve("store")).retention(Duration.ofDays(36_500)).open();
  }

  @AfterEach
  void close() {
    last.close();
  }
}
