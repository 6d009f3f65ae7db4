package io.proteus.core.internal.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.proteus.EngineException;
import io.proteus.core.internal.results.ResultFiles;
import io.proteus.model.CaseStatus;
import io.proteus.model.TestCaseResult;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.DispatchRequest;
import io.proteus.spi.Engine;
import io.proteus.spi.Exec;
import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.spi.OutputSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * One attempt on a local worker: a fresh workspace, the binary and scenario staged into it, the
 * metadata as {@code proteus/metadata.json} and environment variables, the command run through the
 * engine with its output in {@code proteus/output.log}, and the results read back. The scenario
 * contract is in docs/scenario-contract.md.
 */
public final class AttemptRun {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final DispatchRequest request;
  private final Path workspace;
  private volatile @Nullable Exec exec;
  private volatile boolean aborted;

  public AttemptRun(DispatchRequest request, Path workRoot) {
    this.request = request;
    this.workspace =
        workRoot
            .resolve("work")
            .resolve(
                request.task().job().value()
                    + "-"
                    + request.task().index()
                    + "-a"
                    + request.attempt()
                    + "-"
                    + request.fencingToken());
  }

  /** What happened: a report when the command ran to its end, else why it could not. */
  public sealed interface Outcome {
    /** It ran. */
    record Ran(AttemptReport report) implements Outcome {}

    /** It ran past its timeout. */
    record TimedOut(String reason) implements Outcome {}

    /** It could not run. */
    record Broken(String reason) implements Outcome {}

    /** It was aborted; nobody waits for a report. */
    record Aborted() implements Outcome {}
  }

  /** Stages, runs and reads results. Blocks; call on a virtual thread. */
  public Outcome run(Engine engine, Runnable onRunning, Runnable onUploading) {
    try {
      Files.createDirectories(workspace.resolve("proteus"));
      Path results = Files.createDirectories(workspace.resolve("results"));
      Path binary = stage(request.test().binary(), true);
      Optional<Path> scenario =
          request.test().scenario().isPresent()
              ? Optional.of(stage(request.test().scenario().get(), true))
              : Optional.empty();
      Path metadata = workspace.resolve("proteus/metadata.json");
      JSON.writeValue(metadata.toFile(), request.test().metadata());
      List<String> command =
          scenario.isPresent()
              ? Interpreters.command(scenario.get(), request.test().arguments())
              : concat(binary.toString(), request.test().arguments());
      Path logFile = workspace.resolve("proteus/output.log");
      ExitStatus status;
      try (BufferedWriter log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
        OutputSink sink = new LogSink(log);
        if (aborted) {
          return new Outcome.Aborted();
        }
        Exec started =
            engine.start(
                new ExecSpec(
                    command,
                    workspace,
                    environment(binary, metadata, results),
                    Optional.empty(),
                    request.timeout(),
                    sink,
                    request.test().container()));
        exec = started;
        if (aborted) {
          started.abort();
        }
        onRunning.run();
        status = started.exit().toCompletableFuture().get();
      }
      if (status.aborted() || aborted) {
        return new Outcome.Aborted();
      }
      if (status.timedOut()) {
        return new Outcome.TimedOut(
            "timed out after " + request.timeout().toSeconds() + "s and was killed");
      }
      onUploading.run();
      List<TestCaseResult> cases = new java.util.ArrayList<>(ResultFiles.read(results));
      if (status.outOfMemory()) {
        cases.add(
            new TestCaseResult(
                "out-of-memory",
                CaseStatus.FAILED,
                Optional.of("killed for passing its memory limit"),
                status.elapsed(),
                false));
      }
      return new Outcome.Ran(
          new AttemptReport(
              status.code(), cases, Optional.of(logFile.toString()), status.elapsed()));
    } catch (EngineException e) {
      return new Outcome.Broken(e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      return new Outcome.Broken("cannot stage or read files: " + e.getMessage());
    } catch (ExecutionException e) {
      return new Outcome.Broken("engine failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome.Aborted();
    }
  }

  /** Kills the command, if it runs. */
  public void abort() {
    aborted = true;
    Exec e = exec;
    if (e != null) {
      e.abort();
    }
  }

  public long token() {
    return request.fencingToken();
  }

  private Path stage(String relative, boolean executable) throws IOException {
    Path dest = workspace.resolve(relative).normalize();
    if (!dest.startsWith(workspace)) {
      throw new EngineException("path leaves the workspace: " + relative);
    }
    if (Files.exists(dest)) {
      return dest;
    }
    Files.createDirectories(dest.getParent());
    try (InputStream in = request.files().open(relative)) {
      Files.copy(in, dest, StandardCopyOption.REPLACE_EXISTING);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new EngineException(
          "the build has no file '"
              + relative
              + "'"
              + (e.getReason() == null ? "" : " (" + e.getReason() + ")"));
    }
    if (executable) {
      try {
        Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rwxr-xr-x"));
      } catch (UnsupportedOperationException ignored) {
        dest.toFile().setExecutable(true);
      }
    }
    return dest;
  }

  private Map<String, String> environment(Path binary, Path metadata, Path results) {
    Map<String, String> env = new TreeMap<>();
    request
        .test()
        .metadata()
        .forEach((k, v) -> {
          if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            env.put(
                "PROTEUS_META_" + k.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"),
                String.valueOf(v));
          }
        });
    env.putAll(request.test().environment());
    env.put("PROTEUS_TEST_NAME", request.test().name());
    env.put("PROTEUS_TASK_ID", request.task().toString());
    env.put("PROTEUS_ATTEMPT", Integer.toString(request.attempt()));
    env.put("PROTEUS_PLATFORM", request.platform());
    env.put("PROTEUS_WORKSPACE", workspace.toString());
    env.put("PROTEUS_BINARY", binary.toString());
    env.put("PROTEUS_METADATA", metadata.toString());
    env.put("PROTEUS_RESULTS", results.toString());
    env.put("PROTEUS_EXPECTATIONS", String.join(",", request.test().expectations()));
    return env;
  }

  private static List<String> concat(String first, List<String> rest) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    out.add(first);
    out.addAll(rest);
    return out;
  }

  /** Writes both streams to one log, each line tagged with its stream. */
  private record LogSink(BufferedWriter log) implements OutputSink {
    @Override
    public void stdout(String line) {
      write("out| ", line);
    }

    @Override
    public void stderr(String line) {
      write("err| ", line);
    }

    private void write(String tag, String line) {
      synchronized (log) {
        try {
          log.write(tag);
          log.write(line);
          log.newLine();
          log.flush();
        } catch (IOException e) {
          // the log is best effort; the run goes on
        }
      }
    }
  }
}
