package io.proteus.docker.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.transport.DockerHttpClient;
import io.proteus.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One image build on the daemon's classic builder, through the Engine API's {@code /build}: no
 * network unless the task may have one, the task's memory and CPU limits, intermediate containers
 * always removed, no pulls beyond the images already checked. The build is bounded by a deadline
 * and can be cancelled (abort, engine close, interrupt): the request is cut, which makes the daemon
 * kill the step that runs, and the containers and images the build made are removed.
 */
final class ImageBuild {
  private static final Logger log = LoggerFactory.getLogger(ImageBuild.class);
  private static final Pattern STEP = Pattern.compile("^Step \\d+/\\d+ : .*");
  private static final Pattern RUNNING =
      Pattern.compile("^ ---> Running in ([0-9a-f]{12,64})\\s*$");
  private static final Pattern MADE = Pattern.compile("^ ---> ([0-9a-f]{12,64})\\s*$");
  private static final Pattern BUILT =
      Pattern.compile("^Successfully built ([0-9a-f]{12,64})\\s*$");
  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder().maxStringLength(4 << 20).build())
              .build());

  /**
   * The limits a build gets.
   *
   * @param network whether its steps may have a network
   * @param memoryBytes the memory of each step
   * @param cpus the CPUs of each step
   */
  record Limits(boolean network, long memoryBytes, double cpus) {}

  private final Daemon daemon;
  private final String tag;
  private final Map<String, String> labels;
  private final List<String> containers = new ArrayList<>();
  private final List<String> images = new ArrayList<>();
  private final Deque<String> lastLines = new ArrayDeque<>();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private volatile DockerHttpClient.Response response;
  private volatile String why = "";
  private String imageId;
  private String error;
  private boolean stepRan;

  ImageBuild(Daemon daemon, String tag, Map<String, String> labels) {
    this.daemon = daemon;
    this.tag = tag;
    this.labels = labels;
  }

  /** Stops the build; the thread waiting in {@link #run} then cleans up and throws. */
  void cancel(String reason) {
    why = reason;
    if (cancelled.compareAndSet(false, true)) {
      DockerHttpClient.Response r = response;
      if (r != null) {
        r.close();
      }
    }
  }

  /**
   * Builds {@code context} (a tar) and returns the image's id; waits at most {@code limit}.
   *
   * @throws EngineException when the build fails, is cancelled, or runs past the limit; what it
   *     made is removed first
   */
  String run(Path context, Limits limits, Duration limit) {
    CompletableFuture<String> done = new CompletableFuture<>();
    Thread reader =
        Thread.ofVirtual()
            .name("proteus-build-" + tag)
            .start(() -> {
              try {
                done.complete(send(context, limits));
              } catch (RuntimeException | IOException e) {
                done.completeExceptionally(e);
              }
            });
    try {
      String id = done.get(EngineSettings.millis(limit), TimeUnit.MILLISECONDS);
      if (cancelled.get()) {
        throw new EngineException("the image build was stopped: " + why);
      }
      return id;
    } catch (TimeoutException e) {
      cancel("it ran past the task's timeout of " + limit.toSeconds() + " s");
      throw failed(reader, "the image build did not finish within " + limit.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel("interrupted");
      throw failed(reader, "the image build was interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String what =
          cancelled.get()
              ? "the image build was stopped: " + why
              : cause instanceof EngineException ee
                  ? ee.getMessage()
                  : "the image build failed: " + Errors.describe(cause);
      throw failed(reader, what);
    } catch (EngineException e) {
      throw failed(reader, e.getMessage());
    }
  }

  private String send(Path context, Limits limits) throws IOException {
    String query =
        "t="
            + enc(tag)
            + "&dockerfile="
            + enc(BuildContext.DOCKERFILE)
            + "&networkmode="
            + (limits.network() ? "bridge" : "none")
            + "&memory="
            + limits.memoryBytes()
            + "&memswap="
            + limits.memoryBytes()
            + "&cpuperiod=100000&cpuquota="
            + Math.max(1000, (long) (limits.cpus() * 100_000))
            + "&rm=1&forcerm=1&pull=0&q=0&version=1&labels="
            + enc(JSON.writeValueAsString(labels));
    try (InputStream body = Files.newInputStream(context)) {
      DockerHttpClient.Request request =
          DockerHttpClient.Request.builder()
              .method(DockerHttpClient.Request.Method.POST)
              .path("/build?" + query)
              .putHeader("Content-Type", "application/x-tar")
              .body(body)
              .build();
      try (DockerHttpClient.Response r = daemon.http().execute(request)) {
        response = r;
        if (cancelled.get()) {
          throw new EngineException("the image build was stopped: " + why);
        }
        if (r.getStatusCode() != 200) {
          byte[] b = r.getBody().readNBytes(4096);
          throw new EngineException(
              "the daemon refused the build ("
                  + r.getStatusCode()
                  + "): "
                  + Labels.clean(new String(b, StandardCharsets.UTF_8)));
        }
        read(r.getBody());
      }
    }
    if (error != null) {
      throw new EngineException("the image build failed: " + error + tail());
    }
    if (imageId == null) {
      throw new EngineException("the image build ended without an image" + tail());
    }
    return imageId;
  }

  private void read(InputStream body) throws IOException {
    StringBuilder pending = new StringBuilder();
    try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(body)) {
      while (it.hasNextValue()) {
        JsonNode m = it.nextValue();
        if (m.hasNonNull("stream")) {
          pending.append(m.get("stream").asText());
          int nl;
          while ((nl = pending.indexOf("\n")) >= 0) {
            line(pending.substring(0, nl));
            pending.delete(0, nl + 1);
          }
          if (pending.length() > 64 * 1024) {
            pending.setLength(0);
          }
        }
        if (m.hasNonNull("aux") && m.get("aux").hasNonNull("ID")) {
          imageId = m.get("aux").get("ID").asText();
        }
        if (m.hasNonNull("error")) {
          error = Labels.clean(m.get("error").asText());
        }
      }
    }
    if (!pending.isEmpty()) {
      line(pending.toString());
    }
  }

  private synchronized void line(String text) {
    log.debug("build {}: {}", tag, text);
    lastLines.addLast(text.length() > 300 ? text.substring(0, 300) + "…" : text);
    if (lastLines.size() > 10) {
      lastLines.removeFirst();
    }
    Matcher running = RUNNING.matcher(text);
    Matcher made = MADE.matcher(text);
    Matcher built = BUILT.matcher(text);
    if (STEP.matcher(text).matches()) {
      stepRan = false;
    } else if (running.matches()) {
      containers.add(running.group(1));
      stepRan = true;
    } else if (made.matches()) {
      if (stepRan) {
        images.add(made.group(1));
      }
      stepRan = false;
    } else if (built.matches() && imageId == null) {
      imageId = built.group(1);
    }
  }

  private synchronized String tail() {
    return lastLines.isEmpty() ? "" : "; last output: " + String.join(" | ", lastLines);
  }

  /** Waits for the reader, removes what the build made, and says why it failed. */
  private EngineException failed(Thread reader, String what) {
    try {
      reader.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> madeContainers;
    List<String> madeImages;
    synchronized (this) {
      madeContainers = List.copyOf(containers);
      madeImages = new ArrayList<>(images).reversed();
    }
    for (String c : madeContainers) {
      try {
        daemon.calls().removeContainerCmd(c).withForce(true).withRemoveVolumes(true).exec();
      } catch (NotFoundException e) {
        // the builder removed it
      } catch (RuntimeException e) {
        log.warn("cannot remove build container {}: {}", c, Errors.describe(e));
      }
    }
    for (String i : madeImages) {
      try {
        daemon.calls().removeImageCmd(i).withForce(true).withNoPrune(true).exec();
      } catch (NotFoundException e) {
        // already gone
      } catch (RuntimeException e) {
        log.warn("cannot remove build image {}: {}", i, Errors.describe(e));
      }
    }
    return new EngineException(what);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
