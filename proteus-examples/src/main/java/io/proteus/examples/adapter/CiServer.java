package io.proteus.examples.adapter;

import io.proteus.model.JobResult;
import java.nio.file.Path;
import java.util.List;

/**
 * The host application's view of its CI server: the part a real integration implements with the
 * server's HTTP API. Proteus never sees this interface; only {@link CiServerAdapter} does.
 */
public interface CiServer {

  /** A finished build whose tests should run. */
  record CiBuild(String id, String planJson, Path files, long sizeBytes) {}

  /** Builds that finished since the last call. */
  List<CiBuild> newBuilds();

  /** Posts a job's results back to the build's page. */
  void reportResults(String buildId, JobResult result);

  /** Marks a build's test stage as broken, with a message for its author. */
  void reportError(String buildId, String message);
}
