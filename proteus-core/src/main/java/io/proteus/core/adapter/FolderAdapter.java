package io.proteus.core.adapter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proteus.ArchiveException;
import io.proteus.CoreStoppedException;
import io.proteus.PlanException;
import io.proteus.ProteusException;
import io.proteus.StorageException;
import io.proteus.core.archive.ArchiveLimits;
import io.proteus.core.internal.util.Slugs;
import io.proteus.core.internal.util.Trees;
import io.proteus.core.report.HtmlReport;
import io.proteus.core.report.JunitFlavour;
import io.proteus.core.report.JunitReport;
import io.proteus.core.report.Reports;
import io.proteus.model.Build;
import io.proteus.model.JobResult;
import io.proteus.spi.Adapter;
import io.proteus.spi.AdapterContext;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.DeliveryContext;
import io.proteus.spi.Reservation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches an inbox folder for builds (a folder, a {@code .zip}, a {@code .tar.gz}, each with a
 * {@code tests.json} at its root), submits them, and writes each finished job's JUnit XML (in a
 * {@link JunitFlavour}), HTML report and JSON summary to {@code outbox/<build>/}, each atomically.
 * Accepted inputs move to {@code inbox/.accepted/}; a bad build moves to {@code inbox/.rejected/}
 * and gets {@code outbox/<build>/error.json} and {@code error.txt}. A build that does not fit the
 * storage budget waits in the inbox. Names starting with a dot or ending in {@code .part} are left
 * alone, so writers can drop builds atomically.
 */
public final class FolderAdapter implements Adapter {
  private static final Logger log = LoggerFactory.getLogger(FolderAdapter.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String name;
  private final Path inbox;
  private final Path outbox;
  private final BuildLoader loader;
  private final JunitReport junit;
  private final Set<String> waiting = new HashSet<>();

  /** An adapter named {@code name} for these folders, with the default archive limits. */
  public FolderAdapter(String name, Path inbox, Path outbox) {
    this(name, inbox, outbox, ArchiveLimits.DEFAULT);
  }

  /** An adapter with its own archive limits. */
  public FolderAdapter(String name, Path inbox, Path outbox, ArchiveLimits limits) {
    this(name, inbox, outbox, limits, JunitFlavour.SUREFIRE);
  }

  /**
   * An adapter with its own archive limits that writes JUnit XML in {@code junitFlavour}: the
   * default {@link JunitFlavour#SUREFIRE}, or {@link JunitFlavour#JUNIT4} for consumers that check
   * Jenkins' junit-4.xsd.
   */
  public FolderAdapter(
      String name, Path inbox, Path outbox, ArchiveLimits limits, JunitFlavour junitFlavour) {
    this.name = name;
    this.inbox = inbox;
    this.outbox = outbox;
    this.loader = new BuildLoader(limits);
    this.junit = JunitReport.of(junitFlavour);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void poll(AdapterContext context) throws IOException {
    Files.createDirectories(inbox);
    Files.createDirectories(outbox);
    List<Path> entries;
    try (Stream<Path> s = Files.list(inbox)) {
      entries =
          s.filter(p -> !p.getFileName().toString().startsWith("."))
              .filter(p -> !p.getFileName().toString().endsWith(".part"))
              .sorted()
              .toList();
    }
    for (Path entry : entries) {
      if (!take(entry, context)) {
        return;
      }
    }
  }

  /** Takes one build; false when the core is stopping and the rest of the inbox must wait. */
  private boolean take(Path entry, AdapterContext context) throws IOException {
    String buildName = BuildLoader.buildName(entry);
    if (!BuildLoader.isBuild(entry)) {
      reject(entry, buildName, "not a build: give a folder, a .zip, a .tar.gz or a .tgz");
      return true;
    }
    Optional<Reservation> reservation;
    long size;
    try {
      size = loader.size(entry);
      reservation = context.reserve(size, "build " + buildName);
    } catch (ProteusException e) {
      reject(entry, buildName, e.getMessage());
      return true;
    }
    if (reservation.isEmpty()) {
      if (waiting.add(buildName)) {
        log.info("build {} does not fit the storage budget yet; it waits", buildName);
      }
      return true;
    }
    waiting.remove(buildName);
    Path target = uniqueFolder(context.storageFolder(), buildName);
    try {
      BuildLoader.Loaded loaded = loader.load(entry, target, size);
      loaded.plan().warnings().forEach(w -> log.warn("build {}: {}", buildName, w));
      String buildId = target.getFileName().toString();
      Reservation held = reservation.get();
      Reservation releaseAndClean =
          new Reservation() {
            @Override
            public long bytes() {
              return held.bytes();
            }

            @Override
            public void release() {
              held.release();
              Thread.ofVirtual().start(() -> Trees.deleteQuietly(target));
            }
          };
      context.submit(
          new Build(
              buildId, loaded.plan().plans(), BuildFiles.ofFolder(loaded.root()), releaseAndClean));
      moveAside(entry, ".accepted");
      log.info("build {} submitted", buildId);
      return true;
    } catch (CoreStoppedException e) {
      reservation.get().release();
      Trees.deleteQuietly(target);
      log.info("build {} stays in the inbox: {}", buildName, e.getMessage());
      return false;
    } catch (PlanException | ArchiveException | StorageException e) {
      reservation.get().release();
      Trees.deleteQuietly(target);
      reject(entry, buildName, e.getMessage());
      return true;
    } catch (ProteusException e) {
      reservation.get().release();
      Trees.deleteQuietly(target);
      log.warn("build {} stays in the inbox and is tried again: {}", buildName, e.getMessage());
      return false;
    }
  }

  @Override
  public void deliver(DeliveryContext context) throws IOException {
    JobResult job = context.result();
    Path dir = Files.createDirectories(outbox.resolve(job.buildId()));
    Reports.atomicWrite(
        dir.resolve(Reports.fileStem(job) + ".junit.xml"), out -> junit.write(job, out));
    Reports.atomicWrite(
        dir.resolve(Reports.fileStem(job) + ".report.html"), HtmlReport.html(List.of(job), dir));
    Reports.atomicWrite(
        dir.resolve(Reports.fileStem(job) + ".summary.json"), Reports.summaryJson(List.of(job)));
  }

  private void reject(Path entry, String buildName, String why) throws IOException {
    log.warn("build {} rejected: {}", buildName, why);
    Path dir = Files.createDirectories(outbox.resolve(buildName));
    ObjectNode error = JSON.createObjectNode();
    error.put("build", buildName);
    error.put("status", "REJECTED");
    error.put("error", why);
    Reports.atomicWrite(dir.resolve("error.json"), JSON.writeValueAsString(error) + "\n");
    Reports.atomicWrite(
        dir.resolve("error.txt"), "build " + buildName + " was rejected:\n" + why + "\n");
    moveAside(entry, ".rejected");
  }

  private void moveAside(Path entry, String folder) throws IOException {
    Path dir = Files.createDirectories(inbox.resolve(folder));
    Path dest = dir.resolve(entry.getFileName());
    for (int i = 2; Files.exists(dest, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
      dest = dir.resolve(entry.getFileName() + "." + i);
    }
    Files.move(entry, dest, StandardCopyOption.ATOMIC_MOVE);
  }

  private static Path uniqueFolder(Path parent, String name) {
    String safe = Slugs.of(name, 200);
    Path p = parent.resolve(safe);
    for (int i = 2; Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
      p = parent.resolve(safe + "-" + i);
    }
    return p;
  }
}
