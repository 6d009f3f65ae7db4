package io.proteus.examples.cli;

import io.proteus.ProteusException;
import io.proteus.core.ProteusCore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The folder {@code <core.inbox>/.control} through which {@code proteus workers} asks a running
 * {@code proteus core} to quarantine or release a worker: a request is a file {@code <worker
 * id>.<action>} (its text the reason, for a quarantine), written under a dot name and renamed; the
 * core reads it within a poll interval, acts, and writes the answer to {@code <worker
 * id>.<action>.answer}. Anyone who may write the core's inbox may ask.
 */
final class ControlFolder {
  static final String RELEASE = "release";
  static final String QUARANTINE = "quarantine";
  static final String ANSWER = ".answer";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private ControlFolder() {}

  /** The control folder of a core whose inbox is {@code inbox}. */
  static Path of(Path inbox) {
    return inbox.resolve(".control");
  }

  /** Whether {@code id} can name a request file. */
  static boolean validId(String id) {
    return ID.matcher(id).matches() && !id.endsWith(ANSWER);
  }

  /** Reads requests every {@code interval} until the thread is interrupted. */
  static Thread watch(Path folder, ProteusCore core, Duration interval) {
    return Thread.ofVirtual()
        .name("proteus-control")
        .start(() -> {
          while (!Thread.currentThread().isInterrupted()) {
            try {
              Files.createDirectories(folder);
              handleAll(folder, core);
              Thread.sleep(interval);
            } catch (InterruptedException e) {
              return;
            } catch (IOException | RuntimeException e) {
              System.err.println("proteus core: the control folder " + folder + ": " + e);
              try {
                Thread.sleep(interval);
              } catch (InterruptedException stop) {
                return;
              }
            }
          }
        });
  }

  private static void handleAll(Path folder, ProteusCore core) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.startsWith(".") || name.endsWith(ANSWER) || !Files.isRegularFile(f)) {
          continue;
        }
        int dot = name.lastIndexOf('.');
        String answer =
            dot <= 0
                ? "unknown request " + name
                : handle(core, name.substring(0, dot), name.substring(dot + 1), f);
        Path tmp = folder.resolve("." + name + ANSWER);
        Files.writeString(tmp, answer + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, folder.resolve(name + ANSWER), StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(f);
        System.out.println("proteus core: " + answer);
        System.out.flush();
      }
    }
  }

  private static String handle(ProteusCore core, String id, String action, Path f)
      throws IOException {
    try {
      return switch (action) {
        case RELEASE ->
            core.release(id)
                ? "worker " + id + " released"
                : "worker " + id + " is not quarantined";
        case QUARANTINE -> {
          String reason =
              Optional.of(Files.readString(f, StandardCharsets.UTF_8).strip())
                  .filter(r -> !r.isEmpty())
                  .orElse("quarantined by an operator");
          yield core.quarantine(id, reason)
              ? "worker " + id + " quarantined: " + reason
              : "worker " + id + " is offline, draining or quarantined already";
        }
        default -> "unknown request " + action + " for worker " + id;
      };
    } catch (ProteusException e) {
      return e.getMessage();
    }
  }
}
